import { describe, expect, it } from "vitest";
import { navigation } from "./navigation";

describe("the menu", () => {
  it("shows public pages to a visitor", () => {
    expect(navigation(null, false).map((i) => i.to)).toEqual(["/agenda", "/carte", "/certificats"]);
  });
  it("adds the coordinator space once signed in, and the back-office for staff only", () => {
    const coordinator = { roles: ["coordinator"] } as never;
    const staff = { roles: ["staff"] } as never;
    expect(navigation(coordinator, true).map((i) => i.to)).toContain("/mon-espace");
    expect(navigation(coordinator, true).map((i) => i.to)).not.toContain("/gestion");
    expect(navigation(staff, true).map((i) => i.to)).toContain("/gestion");
  });
});
