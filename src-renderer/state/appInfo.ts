// App info from the main side (version, data folder, providers), loaded once.
import { create } from 'zustand';
import type { AppInfo } from '../../src-main/shared/types';
import { api } from '../api/client';

interface AppInfoState {
  info: AppInfo | null;
  error: string | null;
  load(): Promise<void>;
}

export const useAppInfo = create<AppInfoState>((set) => ({
  info: null,
  error: null,
  async load() {
    try {
      set({ info: await api().call('app.info', {}), error: null });
    } catch (err) {
      set({ error: (err as Error).message });
    }
  },
}));
