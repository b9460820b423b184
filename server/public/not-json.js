// What to say of text that is not JSON: where it goes wrong (line and column) and what is wrong there, as
// the service's strict parser says it in its 400 problem — the browser's JSON.parse gives no position for
// most mistakes, and a second, hand-written parser here could disagree with the one that decides.
const POSITION = /\(line (\d+), column (\d+)\): (.+)$/;

/** "This is not JSON: line 3, column 17: …" — without the position when the service cannot be asked. */
export async function notJsonMessage(text, name = "This") {
  let where = "";
  try {
    const response = await fetch("/v1/credentials/verify", { method: "POST", headers: { "content-type": "application/json" }, body: text });
    const found = POSITION.exec((await response.json())?.detail ?? "");
    if (found) where = `: line ${found[1]}, column ${found[2]}: ${found[3]}`;
  } catch {
    // The service cannot be reached or answered otherwise: the message goes without its position.
  }
  return `${name} is not JSON${where}. A badge file is a JSON document.`;
}
