// Every `pulmo` sub-command, one file each. Add new commands to this list.
import type { Command } from '../command';
import { infoCommand } from './info';
import { serveCommand } from './serve';

export const commands: Command[] = [infoCommand, serveCommand];
