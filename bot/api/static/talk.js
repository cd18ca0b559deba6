// Talking to newsdesk: requests with the API token when this tab has been given one (asking
// for it on a 401), what to tell the reader when a request fails, and server-sent events.

const TOKEN_KEY = "newsdesk-token";
export const UNREACHABLE = "newsdesk can't be reached: check that it is running, then ask again.";

const $ = (selector) => document.querySelector(selector);
const dialog = $("#token-dialog");

let tokenPrompt = null;

function askForToken(problem) {
  tokenPrompt ??= new Promise((resolve) => {
    $("#token-problem").textContent = problem;
    $("#token").value = "";
    dialog.returnValue = "";
    dialog.addEventListener(
      "close",
      () => {
        const token = $("#token").value.trim();
        const given = dialog.returnValue === "ok" && token !== "";
        if (given) sessionStorage.setItem(TOKEN_KEY, token);
        tokenPrompt = null;
        resolve(given);
      },
      { once: true },
    );
    dialog.showModal();
  });
  return tokenPrompt;
}

$("#token-cancel").addEventListener("click", () => dialog.close("cancel"));

// fetch, with the API token when this tab has one; a 401 asks for it (again) and retries.
export async function call(method, path, body) {
  for (;;) {
    const token = sessionStorage.getItem(TOKEN_KEY);
    const headers = {};
    if (body !== undefined) headers["content-type"] = "application/json";
    if (token) headers.authorization = `Bearer ${token}`;
    const response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status !== 401) return response;
    if (token && sessionStorage.getItem(TOKEN_KEY) === token) {
      sessionStorage.removeItem(TOKEN_KEY);
    }
    const problem = token ? "That token was not accepted: check it and enter it again." : "";
    if (!(await askForToken(problem))) return response;
  }
}

export async function problemOf(response) {
  const said = await response.json().then(
    (body) => body.error,
    () => "",
  );
  if (response.status === 401) {
    return "This newsdesk needs its API token: ask again, and enter the token when asked.";
  }
  if (response.status === 429) {
    const wait = response.headers.get("retry-after");
    return `Too many questions for now: ask again in ${wait ? `${wait} s` : "a minute"}.`;
  }
  return said || `Something went wrong (HTTP ${response.status}): the server log says what.`;
}

// The server-sent events of a response: {name, data} for each.
export async function* events(response) {
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffered += value;
    let end;
    while ((end = buffered.indexOf("\n\n")) >= 0) {
      const lines = buffered.slice(0, end).split("\n");
      buffered = buffered.slice(end + 2);
      const name = lines.find((line) => line.startsWith("event: "))?.slice(7) ?? "message";
      const data = lines.filter((line) => line.startsWith("data: ")).map((l) => l.slice(6));
      yield { name, data: JSON.parse(data.join("\n")) };
    }
  }
}
