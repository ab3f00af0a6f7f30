// @ts-check
/// <reference lib="dom" />
/**
 * sockchat's browser page: one WebSocket to the page's own server, one chat line per
 * frame. Received text is only ever inserted with `textContent`; nothing is fetched from
 * anywhere else. When the connection drops, the page tries again with a growing delay and
 * never sends anything again by itself: what was sent is gone with the old connection,
 * what was not sent stays in the input.
 * @module
 */

import { HISTORY_END, HISTORY_START, parseWireLine } from "../../chat/wire_line.js";
import { stableColorCode } from "../../output/stable_color.js";

/** Lines kept on the page; older ones are removed. */
const MAX_LINES = 2000;
/** Delays before reconnecting, in ms (the last one repeats), each with ±20% jitter. */
const BACKOFF_MS = [500, 1000, 2000, 4000, 8000, 15000, 30000];
/** Within this distance of the bottom (px), new lines scroll into view. */
const STICKY_PX = 48;

const log = /** @type {HTMLElement} */ (document.getElementById("log"));
const state = /** @type {HTMLElement} */ (document.getElementById("state"));
const form = /** @type {HTMLFormElement} */ (document.getElementById("send"));
const input = /** @type {HTMLInputElement} */ (document.getElementById("line"));
const maxLineBytes = Number(
  document.querySelector('meta[name="sockchat-max-line"]')?.getAttribute("content"),
) || 65536;
const encoder = new TextEncoder();

/** @type {WebSocket | null} */
let socket = null;
let attempt = 0;
let connectedOnce = false;
/** True after `/quit`: the close that follows is not a reason to reconnect. */
let leaving = false;
/** Text received after the last line break (frames hold whole lines; this is a guard). */
let partial = "";
/** @type {ReturnType<typeof setTimeout> | undefined} */
let retryTimer;
/** @type {ReturnType<typeof setInterval> | undefined} */
let countdown;
/** Sent lines, for Up/Down in the input. */
const sent = /** @type {string[]} */ ([]);
let recall = 0;
/** This page's nickname, as the server's notices tell it (`""` until the welcome). */
let me = "";

/**
 * Shows the connection state.
 * @param {"connecting" | "connected" | "waiting" | "closed"} kind
 * @param {string} text
 */
function setState(kind, text) {
  state.className = `state ${kind}`;
  state.textContent = text;
  document.body.dataset.state = kind;
}

function connect() {
  clearTimeout(retryTimer);
  clearInterval(countdown);
  setState("connecting", connectedOnce ? "reconnecting…" : "connecting…");
  const url = new URL("/chat", location.href);
  url.protocol = location.protocol === "https:" ? "wss:" : "ws:";
  const ws = new WebSocket(url);
  socket = ws;
  ws.addEventListener("open", () => {
    attempt = 0;
    setState("connected", "connected");
    if (connectedOnce) addLocal("reconnected as a newcomer: /nick NAME takes your name back");
    connectedOnce = true;
  });
  ws.addEventListener("message", (event) => {
    if (typeof event.data !== "string") return;
    const lines = (partial + event.data).split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) addLine(line);
  });
  ws.addEventListener("close", (event) => {
    if (socket !== ws) return;
    socket = null;
    if (partial !== "") addLine(partial);
    partial = "";
    if (leaving) {
      setState("closed", "you left");
      addLocal("you left the chat: reload the page to join again");
      return;
    }
    if (connectedOnce) addLocal(`disconnected${event.reason ? `: ${event.reason}` : ""}`);
    waitAndReconnect();
  });
}

/** Reconnects after the next backoff delay, counting down in the state line. */
function waitAndReconnect() {
  const base = BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)] ?? 30000;
  attempt++;
  const delay = Math.round(base * (0.8 + Math.random() * 0.4));
  const due = Date.now() + delay;
  const show = () => {
    const seconds = Math.max(1, Math.ceil((due - Date.now()) / 1000));
    setState("waiting", `disconnected, retrying in ${seconds} s`);
  };
  show();
  countdown = setInterval(show, 500);
  retryTimer = setTimeout(connect, delay);
}

/** True between `-- history --` and `-- now --`: replayed lines, shown dimmed. */
let inHistory = false;

/**
 * Adds a received line, its nickname in the nickname's stable colour; the replayed
 * history (and its markers) dimmed.
 * @param {string} line
 */
function addLine(line) {
  if (line === HISTORY_START || line === HISTORY_END) {
    inHistory = line === HISTORY_START;
    newRow("history").append(line);
    return;
  }
  const wire = parseWireLine(line);
  if (wire.kind === "notice") noticeAboutMe(line);
  const text = newRow(inHistory ? `${wire.kind} history` : wire.kind);
  if ("nick" in wire) {
    const name = document.createElement("span");
    name.className = `nick c${stableColorCode(wire.nick)}`;
    name.textContent = wire.nick;
    text.append(wire.before, name, wire.after);
  } else {
    text.append(line);
  }
}

/**
 * Follows this page's own nickname in the server's notices (only the server can start a
 * line with `* `), to show what this page says the way the others see it.
 * @param {string} line
 */
function noticeAboutMe(line) {
  const welcome = /^\* welcome, you are (\S+) \(/.exec(line);
  if (welcome) me = welcome[1] ?? "";
  const renamed = /^\* (\S+) is now known as (\S+)$/.exec(line);
  if (renamed && renamed[1] === me) me = renamed[2] ?? "";
  if ((welcome || renamed) && socket?.readyState === WebSocket.OPEN) {
    setState("connected", `connected as ${me}`);
  }
}

/**
 * Shows a line this page sent: a message or action as the others see it (the server
 * does not echo them back), anything else as typed.
 * @param {string} sentText
 */
function addOwn(sentText) {
  const action = /^\/me\s+(\S.*)$/i.exec(sentText);
  if (me !== "" && action) addLine(`** ${me} ${action[1]}`);
  else if (me !== "" && sentText.startsWith("//")) addLine(`<${me}> ${sentText.slice(1)}`);
  else if (me !== "" && !sentText.startsWith("/")) addLine(`<${me}> ${sentText}`);
  else newRow("own").append(`› ${sentText}`);
}

/**
 * Adds a line from the page itself (not from the server).
 * @param {string} text
 */
function addLocal(text) {
  newRow("local").append(`* ${text}`);
}

/**
 * Adds a row with its time stamp; returns the element that takes the row's text.
 * @param {string} kind
 * @returns {HTMLSpanElement}
 */
function newRow(kind) {
  const row = document.createElement("p");
  row.className = `line ${kind}`;
  const time = document.createElement("span");
  time.className = "time";
  time.textContent = new Date().toLocaleTimeString([], {
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  });
  const text = document.createElement("span");
  text.className = "text";
  row.append(time, text);
  const sticky = log.scrollHeight - log.scrollTop - log.clientHeight < STICKY_PX;
  log.append(row);
  while (log.childElementCount > MAX_LINES) log.firstElementChild?.remove();
  if (sticky) row.scrollIntoView({ block: "end" });
  return text;
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  input.focus();
  const text = input.value;
  if (text.trim() === "") return;
  if (socket === null || socket.readyState !== WebSocket.OPEN) {
    addLocal("not connected: nothing was sent (it is still in the input)");
    return;
  }
  const size = encoder.encode(text).length;
  if (size > maxLineBytes) {
    addLocal(`too long: ${size} bytes, at most ${maxLineBytes}: nothing was sent`);
    return;
  }
  if (/^\/quit(\s|$)/i.test(text)) leaving = true;
  socket.send(text);
  addOwn(text);
  sent.push(text);
  if (sent.length > 100) sent.shift();
  recall = sent.length;
  input.value = "";
});

input.addEventListener("keydown", (event) => {
  if (event.key !== "ArrowUp" && event.key !== "ArrowDown") return;
  if (sent.length === 0) return;
  event.preventDefault();
  recall = Math.max(0, Math.min(sent.length, recall + (event.key === "ArrowUp" ? -1 : 1)));
  input.value = sent[recall] ?? "";
});

// Typing anywhere goes to the input (selecting text in the log still works).
document.addEventListener("keydown", (event) => {
  if (document.activeElement === input || event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.key.length === 1) input.focus();
});

// Back online, or the tab is visible again: do not wait for the rest of the delay.
const retryNow = () => {
  if (socket === null && !leaving && connectedOnce) connect();
};
addEventListener("online", retryNow);
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible") retryNow();
});

connect();
input.focus();
