// The agents' live feed: one WebSocket to /v1/inbox/feed (the session cookie authenticates it),
// reopened with a growing pause when it drops. Each frame is handed to the caller, who decides which
// cached queries it makes stale.
import { useEffect, useRef, useState } from 'react';

export interface FeedFrame {
  type: string;
  conversation_id?: string;
  team_id?: string | null;
  assignee_id?: string | null;
  [k: string]: unknown;
}

export function useInboxFeed(onFrame: (f: FeedFrame) => void, agentId?: string): boolean {
  const [isLive, setLive] = useState(false);
  const handler = useRef(onFrame);
  handler.current = onFrame;
  useEffect(() => {
    let socket: WebSocket | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let closed = false;
    let attempt = 0;
    const open = () => {
      const url = new URL(`/v1/inbox/feed${agentId ? `?agent_id=${encodeURIComponent(agentId)}` : ''}`, location.href);
      url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
      socket = new WebSocket(url);
      socket.onmessage = (m) => {
        let f: FeedFrame;
        try {
          f = JSON.parse(String(m.data));
        } catch {
          return;
        }
        if (f.type === 'ready') {
          attempt = 0;
          setLive(true);
        }
        handler.current(f);
      };
      socket.onclose = () => {
        setLive(false);
        if (closed) return;
        timer = setTimeout(open, Math.min(30_000, 1000 * 2 ** attempt++));
      };
    };
    open();
    return () => {
      closed = true;
      clearTimeout(timer);
      socket?.close();
    };
  }, [agentId]);
  return isLive;
}
