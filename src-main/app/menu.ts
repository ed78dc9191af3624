// The application menu as a pure template: actions are injected, so the structure and wiring are tested in Node.
import type { MenuItemConstructorOptions } from 'electron';

/** Sent to the renderer as `pulmo:event` 'menu' {action}; the renderer opens its about panel on 'about'. */
export type MenuAction = 'about';

export interface MenuActions {
  importFolder(): void;
  openSample(): void;
  about(): void;
}

export function menuTemplate(actions: MenuActions, opts: { isPackaged: boolean; platform: NodeJS.Platform }): MenuItemConstructorOptions[] {
  const isMac = opts.platform === 'darwin';
  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      { id: 'import-folder', label: 'Import Folder…', accelerator: 'CmdOrCtrl+O', click: () => actions.importFolder() },
      { id: 'open-sample', label: 'Open Sample Case', click: () => actions.openSample() },
      { type: 'separator' },
      isMac ? { role: 'close' } : { id: 'quit', role: 'quit', label: 'Quit Pulmo' },
    ],
  };
  const viewItems: MenuItemConstructorOptions[] = [];
  if (!opts.isPackaged) {
    // Reload and devtools are for development builds only: a packaged app has nothing to debug in the renderer.
    viewItems.push({ id: 'reload', role: 'reload' }, { id: 'toggle-devtools', role: 'toggleDevTools' }, { type: 'separator' });
  }
  viewItems.push({ id: 'toggle-fullscreen', role: 'togglefullscreen' });
  const view: MenuItemConstructorOptions = { label: '&View', submenu: viewItems };
  const help: MenuItemConstructorOptions = {
    role: 'help',
    label: '&Help',
    submenu: [{ id: 'about', label: 'About Pulmo', click: () => actions.about() }],
  };
  const edit: MenuItemConstructorOptions = { role: 'editMenu' }; // copy/paste in text fields (and on macOS at all)
  const template: MenuItemConstructorOptions[] = [file, edit, view, help];
  if (isMac) template.unshift({ role: 'appMenu' });
  return template;
}
