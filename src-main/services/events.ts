// A typed event bus from services to whichever transport is listening (IPC to windows, SSE to browsers).
import type { EventName, Events } from '../shared/api';

type Listener = <E extends EventName>(event: E, payload: Events[E]) => void;

export class EventBus {
  private listeners = new Set<Listener>();
  on(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  emit<E extends EventName>(event: E, payload: Events[E]): void {
    for (const l of this.listeners) {
      try {
        l(event, payload);
      } catch {
        /* a broken listener must not stop the others */
      }
    }
  }
}
