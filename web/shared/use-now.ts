// The screen's own clock for countdowns and "how long ago": the browser's time, read once a tick.
import { useEffect, useState } from 'react';

/** A clock that ticks once a second, for countdowns. */
export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(id);
  }, [everyMs]);
  return now;
}
