// The vtk scene of one volume for the viewer's lifetime: built on mount, rebuilt on a fresh WebGL context after a
// loss (vtk.js cannot reuse a restored one, vtk-js#2425), deleted on unmount.
import { useEffect, useState } from 'react';
import type { HuVolume } from '../../src-main/shared/geometry';
import { MprScene } from './mprScene';
import { exposeForTests } from './testHooks';

export interface MprSceneHandle {
  /** The current scene, or null before the first is built. */
  scene: MprScene | null;
  /** Counts scenes built; views are keyed by it so they re-attach to a rebuilt scene. */
  generation: number;
  contextLost: boolean;
  /** Builds a new scene now (the reader's "rebuild views" after a context loss). */
  rebuild(): void;
}

export function useMprScene(volume: HuVolume): MprSceneHandle {
  const [scene, setScene] = useState<MprScene | null>(null);
  const [generation, setGeneration] = useState(0);
  const [contextLost, setContextLost] = useState(false);
  const [request, setRequest] = useState(0);

  useEffect(() => {
    const s = new MprScene(volume, (lost) => {
      setContextLost(lost);
      if (!lost) setRequest((n) => n + 1);
    });
    setScene(s);
    setGeneration((n) => n + 1);
    exposeForTests('__pulmoScene', s);
    return () => {
      try {
        s.delete();
      } catch (err) {
        // A scene whose context was lost may fail to release GPU objects; they died with the context anyway.
        console.warn('Releasing the previous scene failed:', err);
      }
    };
  }, [volume, request]);

  return {
    scene,
    generation,
    contextLost,
    rebuild: () => {
      setContextLost(false);
      setRequest((n) => n + 1);
    },
  };
}
