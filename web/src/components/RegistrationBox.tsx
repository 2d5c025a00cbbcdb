// Register / cancel / decline for one event, with what the person's registration says.
import { useState } from "react";
import { useSession } from "../auth/session";
import { cancelRegistration, register, type Registration } from "../lib/myRegistrations";
import { REGISTRATION_STATUSES, label } from "../lib/labels";
import { canCancel, isActive, waitlistText } from "../lib/registrations";
import { ErrorNotice, Notice } from "./status";

interface Props {
  eventId: string;
  registration: Registration | null;
  open: boolean;
  full: boolean;
  action: string | null;
  onChange: () => void;
}

export function RegistrationBox({ eventId, registration, open, full, action, onChange }: Props) {
  const session = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);

  const run = async (what: () => Promise<Registration>, success: (r: Registration) => string) => {
    setBusy(true); setError(null); setDone(null);
    try {
      const result = await what();
      setDone(success(result));
      onChange();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  if (!session.user) {
    return (
      <section className="registration" aria-labelledby="registration-title">
        <h2 id="registration-title">Inscription</h2>
        <p>{action === "absence" ? "Connectez-vous pour signaler que vous ne pourrez pas venir."
          : "Connectez-vous pour vous inscrire et recevoir le lieu ou le lien de visioconférence."}</p>
        {open && <button type="button" onClick={() => session.signIn()}>Se connecter pour s’inscrire</button>}
      </section>
    );
  }

  const active = isActive(registration);
  return (
    <section className="registration" aria-labelledby="registration-title">
      <h2 id="registration-title">Mon inscription</h2>
      {done && <Notice tone="success">{done}</Notice>}
      {error != null && <ErrorNotice error={error} />}
      {registration && (
        <p className="status">
          <strong>{label(REGISTRATION_STATUSES, registration.status)}</strong>
          {registration.status === "waitlisted" && <> — {waitlistText(registration.waitlist_position)}</>}
        </p>
      )}
      {!active && open && (
        <>
          {action === "absence" && <p>Vous n’êtes pas inscrit·e à cet événement : vous n’avez rien à faire.</p>}
          {full && <p>L’événement est complet : vous serez inscrit·e sur la liste d’attente et prévenu·e si une place se libère.</p>}
          <button type="button" disabled={busy} onClick={() => run(() => register(eventId), (r) =>
            r.status === "waitlisted" ? `Inscription enregistrée sur la liste d’attente. ${waitlistText(r.waitlist_position)}`
              : r.status === "awaiting_approval" ? "Demande d’inscription envoyée : les organisateurs vont la valider."
                : "Vous êtes inscrit·e. Un e-mail de confirmation vous a été envoyé.")}>
            {full ? "M’inscrire sur la liste d’attente" : "Je m’inscris"}
          </button>
        </>
      )}
      {!active && !open && <p>Les inscriptions sont closes.</p>}
      {active && canCancel(registration) && (
        <>
          {action === "absence" && <p>Vous ne pourrez pas venir ? Annulez votre inscription pour libérer votre place.</p>}
          <button type="button" className="danger" disabled={busy}
            onClick={() => run(() => cancelRegistration(eventId, registration!.id,
              action === "absence" ? "Je ne pourrai pas venir" : undefined),
            () => "Votre inscription est annulée.")}>
            {action === "absence" ? "Je ne pourrai pas venir" : "Annuler mon inscription"}
          </button>
        </>
      )}
    </section>
  );
}
