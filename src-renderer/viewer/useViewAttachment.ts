// Attaches one view (MPR or 3D) to the shared scene while its element is mounted and follows the element's
// size; returns that size in CSS pixels ([0, 0] until first measured).
import { useEffect, useState, type RefObject } from 'react';
import type { MprScene, ViewId } from './mprScene';

export function useViewAttachment(scene: MprScene, id: ViewId, host: RefObject<HTMLDivElement | null>): [number, number] {
  const [size, setSize] = useState<[number, number]>([0, 0]);
  useEffect(() => {
    const el = host.current!;
    scene.attach(id, el);
    const ro = new ResizeObserver(() => {
      scene.resize(id, el.clientWidth, el.clientHeight);
      setSize([el.clientWidth, el.clientHeight]);
    });
    ro.observe(el);
    return () => {
      ro.disconnect();
      scene.detach(id);
    };
  }, [scene, id, host]);
  return size;
}
