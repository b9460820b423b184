import { expect } from "chai";
import { HttpRequestError } from "viem";

import { redactText, redactUrl } from "../../server/redact.js";

describe("redacting RPC URLs", function () {
  it("keeps the scheme, host and port of a URL, and hides its path, query and user info", function () {
    expect(redactUrl("https://mainnet.infura.io/v3/SECRETKEY123")).to.equal("https://mainnet.infura.io/…");
    expect(redactUrl("https://user:SECRETPASS@rpc.example:8545")).to.equal("https://rpc.example:8545/…");
    expect(redactUrl("https://rpc.example/?apikey=SECRETKEY123")).to.equal("https://rpc.example/…");
    expect(redactUrl("http://127.0.0.1:8545")).to.equal("http://127.0.0.1:8545");
    expect(redactUrl("not a url SECRETKEY123")).to.not.contain("SECRETKEY123");
  });

  it("strips viem's URL and request-body lines and every URL in a message", function () {
    const error = new HttpRequestError({ url: "https://u:SECRETPASS@rpc.example/v3/SECRETKEY123", body: { method: "eth_call", params: ["SECRETKEY123"] }, details: "fetch failed" });
    const redacted = redactText(error.message, ["https://u:SECRETPASS@rpc.example/v3/SECRETKEY123"]);
    expect(redacted).to.not.match(/SECRET/);
    expect(redacted).to.contain("HTTP request failed");
    expect(redactText("cannot reach https://rpc.example/v3/SECRETKEY123 now")).to.equal("cannot reach https://rpc.example/… now");
  });
});
