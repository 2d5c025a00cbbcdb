// Loading, empty and error states, said the same way on every page.
import type { ReactNode } from "react";
import { ApiError } from "../api/problem";

export function Loading({ what = "Chargement…" }: { what?: string }) {
  return <p className="state" role="status" aria-live="polite">{what}</p>;
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="state empty">{children}</p>;
}

export function ErrorNotice({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const message = error instanceof Error ? error.message : "Une erreur est survenue.";
  return (
    <div className="notice error" role="alert">
      <p>{message}</p>
      {onRetry && <button type="button" onClick={onRetry}>Réessayer</button>}
    </div>
  );
}

export function Notice({ children, tone = "info" }: { children: ReactNode; tone?: "info" | "success" | "warning" }) {
  return <div className={`notice ${tone}`} role="status">{children}</div>;
}

export function isNotFound(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404;
}
