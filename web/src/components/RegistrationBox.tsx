// Register / cancel / « je ne pourrai pas venir » for one event, with what the person's registration says.
import { useState } from "react";
import { useSession } from "../auth/session";
import { cancelRegistration, decline, register, registrationOf, type MyEventItem } from "../lib/myEvents";
import { isActive, registrationText, waitlistText } from "../lib/registrations";
import { ErrorNotice, Notice } from "./status";

interface Props {
  eventId: string;
  mine: MyEventItem | null;
  open: boolean;
  full: boolean;
  action: string | null;
  onChange: () => void;
}

export function RegistrationBox({ eventId, mine, open, full, action, onChange }: Props) {
  const session = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);

  const run = async (what: () => Promise<unknown>, success: (result: never) => string) => {
    setBusy(true); setError(null); setDone(null);
    try {
      const result = await what();
      setDone(success(result as never));
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
        <button type="button" onClick={() => session.signIn()}>
          {action === "absence" ? "Se connecter" : "Se connecter pour s’inscrire"}</button>
      </section>
    );
  }

  const registration = registrationOf(mine);
  const active = isActive(registration);
  const declined = !!mine?.declined_at && !active;
  const onRegister = () => run(() => register(eventId), (r: { status: string; waitlist_position?: number | null }) =>
    r.status === "waitlisted" ? `Inscription enregistrée sur la liste d’attente. ${waitlistText(r.waitlist_position)}`
      : r.status === "awaiting_approval" ? "Demande d’inscription envoyée : les organisateurs vont la valider."
        : "Vous êtes inscrit·e. Un e-mail de confirmation vous a été envoyé.");
  const onDecline = () => run(() => decline(eventId),
    () => "C’est noté : les organisateurs savent que vous ne pourrez pas venir.");

  return (
    <section className="registration" aria-labelledby="registration-title">
      <h2 id="registration-title">Mon inscription</h2>
      {done && <Notice tone="success">{done}</Notice>}
      {error != null && <ErrorNotice error={error} />}
      <p className="status"><strong>{registrationText(registration, mine?.declined_at)}</strong></p>
      {action === "absence" && !declined && !done && <p>Vous venez du lien « je ne pourrai pas venir » : confirmez ci-dessous.</p>}
      {action === "inscription" && !active && open && !done && <p>Vous venez du lien « je m’inscris » : confirmez ci-dessous.</p>}
      <div className="actions">
        {!active && open && (
          <>
            {full && <p>L’événement est complet : vous serez inscrit·e sur la liste d’attente et prévenu·e si une place se libère.</p>}
            <button type="button" disabled={busy} onClick={onRegister}>
              {full ? "M’inscrire sur la liste d’attente" : "Je m’inscris"}
            </button>
          </>
        )}
        {!active && !open && <p>Les inscriptions sont closes.</p>}
        {active && mine?.may_cancel && (
          <button type="button" className="danger" disabled={busy}
            onClick={() => run(() => cancelRegistration(eventId, registration!.id), () => "Votre inscription est annulée.")}>
            Annuler mon inscription
          </button>
        )}
        {!declined && (active ? mine?.may_cancel : true) && (
          <button type="button" className="secondary" disabled={busy} onClick={onDecline}>Je ne pourrai pas venir</button>
        )}
      </div>
    </section>
  );
}
