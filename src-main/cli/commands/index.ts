// Every `pulmo` sub-command, one file each. Add new commands to this list.
import type { Command } from '../command';
import { infoCommand } from './info';
import { serveCommand } from './serve';
import { importCommand } from './import';
import { exportVolumeCommand } from './exportVolume';
import { analyzeCommand } from './analyze';
import { modelsCommand } from './models';
import { evalCommand } from './eval';
import { dicomCommand } from './dicom';

export const commands: Command[] = [infoCommand, serveCommand, analyzeCommand, modelsCommand, importCommand, exportVolumeCommand, evalCommand, dicomCommand];
