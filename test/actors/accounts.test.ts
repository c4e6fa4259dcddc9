import { expect } from "chai";
import { loadEmbedded } from "../fixtures";
import { actorAddress, actorSigner } from "../../src/actors/accounts";

describe("actor accounts", function () {
  it("are derived from the scenario and the role, and hold 1,000 ETH of gas money (1 ETH ran dry at 3,000 positions)", async function () {
    const { ctx } = await loadEmbedded();
    const address = actorAddress("accounts-test", "redeemer");
    expect(address).to.equal(actorAddress("accounts-test", "redeemer"));
    expect(address).to.not.equal(actorAddress("accounts-test", "seller"));
    const signer = await actorSigner(ctx, address);
    expect(await signer.getAddress()).to.equal(address);
    expect(await ctx.provider.getBalance(address)).to.equal(10n ** 21n);
  });
});
