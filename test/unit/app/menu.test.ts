// The application menu template: the items radiologists use, wired to the injected actions; dev-only items stay dev-only.
import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { menuTemplate, type MenuActions } from '../../../src-main/app/menu';

function flatten(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((i) => [i, ...(Array.isArray(i.submenu) ? flatten(i.submenu) : [])]);
}

function actionsLog(): { actions: MenuActions; log: string[] } {
  const log: string[] = [];
  return { log, actions: { importFolder: () => log.push('import'), openSample: () => log.push('sample'), about: () => log.push('about') } };
}

const click = (item: MenuItemConstructorOptions | undefined) => (item!.click as () => void)();

describe('menuTemplate', () => {
  it('File → Import Folder…, Open Sample Case, Quit; Help → About call their actions', () => {
    const { actions, log } = actionsLog();
    const items = flatten(menuTemplate(actions, { isPackaged: true, platform: 'linux' }));
    const byId = (id: string) => items.find((i) => i.id === id);
    expect(byId('import-folder')?.label).toBe('Import Folder…');
    click(byId('import-folder'));
    click(byId('open-sample'));
    click(byId('about'));
    expect(log).toEqual(['import', 'sample', 'about']);
    expect(byId('quit')?.role).toBe('quit');
    expect(byId('toggle-fullscreen')?.role).toBe('togglefullscreen');
  });
  it('offers reload and devtools only in development builds', () => {
    const roles = (isPackaged: boolean) => flatten(menuTemplate(actionsLog().actions, { isPackaged, platform: 'linux' })).map((i) => i.role);
    expect(roles(true)).not.toContain('reload');
    expect(roles(true)).not.toContain('toggleDevTools');
    expect(roles(false)).toContain('reload');
    expect(roles(false)).toContain('toggleDevTools');
  });
  it('uses the macOS app menu on darwin', () => {
    const mac = menuTemplate(actionsLog().actions, { isPackaged: true, platform: 'darwin' });
    expect(mac[0].role).toBe('appMenu');
    expect(flatten(mac).find((i) => i.id === 'quit')).toBeUndefined();
  });
});
