import { describe, expect, it } from "vitest";
import { absoluteAuthority } from "../config";
import { safeReturnPath } from "./session";

describe("sign-in", () => {
  it("comes back only to a page of the console", () => {
    expect(safeReturnPath("/evenements/e1?action=inscription")).toBe("/evenements/e1?action=inscription");
    expect(safeReturnPath("https://ailleurs.example/")).toBe("/mon-espace");
    expect(safeReturnPath("//ailleurs.example/")).toBe("/mon-espace");
    expect(safeReturnPath("/connexion/retour?code=x")).toBe("/mon-espace");
    expect(safeReturnPath(undefined)).toBe("/mon-espace");
  });

  it("puts a relative issuer (compose's Keycloak) on the console's origin", () => {
    expect(absoluteAuthority("/auth/realms/maillage", "http://localhost:8080"))
      .toBe("http://localhost:8080/auth/realms/maillage");
    expect(absoluteAuthority("http://127.0.0.1:8001", "http://127.0.0.1:8000")).toBe("http://127.0.0.1:8001");
  });
});
