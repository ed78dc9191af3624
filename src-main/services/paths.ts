// Where things live: the per-user data folder (overridable) and the app's own resources.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The per-user application data folder, the same place Electron's app.getPath('userData') gives for "Pulmo". */
export function defaultDataDir(): string {
  if (process.env.PULMO_DATA) return path.resolve(process.env.PULMO_DATA);
  const home = os.homedir();
  if (process.platform === 'win32') return path.join(process.env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Pulmo');
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Pulmo');
  return path.join(process.env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'Pulmo');
}

let cachedRoot: string | null = null;
/** The package root (holds package.json, resources/, dist/). Works from sources, from dist/ and inside app.asar. */
export function appRoot(): string {
  if (cachedRoot) return cachedRoot;
  let dir = __dirname;
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg)) {
      try {
        if (JSON.parse(fs.readFileSync(pkg, 'utf8')).name === 'pulmo') return (cachedRoot = dir);
      } catch {
        /* keep walking */
      }
    }
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`Cannot find Pulmo's package root above ${__dirname}`);
    dir = up;
  }
}

/** Resources shipped with the app; electron-builder puts them next to app.asar as extraResources. */
export function resourcesDir(): string {
  const packaged = (process as NodeJS.Process & { resourcesPath?: string }).resourcesPath;
  if (packaged && fs.existsSync(path.join(packaged, 'resources', 'sample'))) return path.join(packaged, 'resources');
  return path.join(appRoot(), 'resources');
}

export function rendererDir(): string {
  return path.join(appRoot(), 'dist', 'renderer');
}

export function appVersion(): string {
  return JSON.parse(fs.readFileSync(path.join(appRoot(), 'package.json'), 'utf8')).version as string;
}
