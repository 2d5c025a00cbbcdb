import { useCallback, useEffect, useState } from "react";

export type Loaded<T> =
  | { state: "loading"; data?: undefined; error?: undefined }
  | { state: "error"; data?: undefined; error: unknown }
  | { state: "ok"; data: T; error?: undefined };

/** Runs `load` when `deps` change; `reload()` runs it again (after a change the page made). */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> & { reload: () => void } {
  const [result, setResult] = useState<Loaded<T>>({ state: "loading" });
  const [round, setRound] = useState(0);
  useEffect(() => {
    let live = true;
    setResult((previous) => (previous.state === "ok" && round > 0 ? previous : { state: "loading" }));
    load().then((data) => live && setResult({ state: "ok", data }))
      .catch((error) => live && setResult({ state: "error", error }));
    return () => { live = false; };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, round]);
  const reload = useCallback(() => setRound((n) => n + 1), []);
  return { ...result, reload };
}
