export interface Message {
  id: string;
  eventKey: string;
  kind: string;
  title: string;
  text: string;
  link: string | null;
  sentAt: string;
  read: boolean;
}

type Listener = () => void;
const listeners = new Set<Listener>();

/** Tells the bell that the messages changed (the messages page marked some read). */
export const messagesChanged = {
  on: (f: Listener) => listeners.add(f),
  off: (f: Listener) => listeners.delete(f),
  emit: () => listeners.forEach((f) => f()),
};
