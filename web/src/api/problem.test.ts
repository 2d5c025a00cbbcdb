import { describe, expect, it } from "vitest";
import { ApiError, fieldErrors, otherErrors, problemMessage } from "./problem";

describe("problem+json", () => {
  it("gives one message per field, nested ones by dotted path", () => {
    const problem = { status: 422, errors: { email: ["Not a valid email address."], venue: { city: ["Too long."] } } };
    expect(fieldErrors(problem)).toEqual({ email: "Not a valid email address.", "venue.city": "Too long." });
  });

  it("keeps messages of list items under their index", () => {
    expect(fieldErrors({ errors: { opted_out: { 0: ["Must be one of: reminder."] } } }))
      .toEqual({ "opted_out.0": "Must be one of: reminder." });
  });

  it("says the detail, and a French sentence when there is none", () => {
    expect(problemMessage({ status: 409, detail: "L’événement est complet." })).toBe("L’événement est complet.");
    expect(problemMessage(null, 503)).toMatch(/momentanément indisponible/);
    expect(problemMessage({ status: 412, detail: "precondition failed" })).toMatch(/rechargez/);
    expect(problemMessage({ status: 422, detail: "Certains champs sont invalides ; voir `errors`.",
      errors: { website: ["Ce n'est pas une URL valide."] } })).toBe("Certains champs sont à corriger.");
    expect(problemMessage({ status: 422, detail: "Le titre est vide." })).toBe("Le titre est vide.");
  });

  it("lists what no field of the form shows, so that nothing is lost", () => {
    const errors = { phone: "Invalide.", _body: "Champ inconnu : foo.", "geo.lat": "Hors limites." };
    expect(otherErrors(errors, ["phone"])).toEqual(["Champ inconnu : foo.", "geo.lat : Hors limites."]);
  });

  it("is an Error whose fields come from the problem", () => {
    const error = new ApiError(409, { status: 409, detail: "Complet", errors: { phone: ["Trop long."] } });
    expect(error.message).toBe("Complet");
    expect(error.fields).toEqual({ phone: "Trop long." });
  });
});
