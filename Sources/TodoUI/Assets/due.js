// due.js: due dates and recurrence in words, read in the browser's zone (the zone every request
// names in X-Time-Zone), mirroring TodoCore's DueText.relative, TaskView and Recurrence.summary.

const DAY_MS = 86400000;
const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const WEEKDAY_NAMES = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const RRULE_DAYS = { SU: "Sun", MO: "Mon", TU: "Tue", WE: "Wed", TH: "Thu", FR: "Fri", SA: "Sat" };

const pad = (n) => String(n).padStart(2, "0");
const dayNumber = (y, m, d) => Math.round(Date.UTC(y, m - 1, d) / DAY_MS);

/**
 * A task's due value read in the browser's zone: {allDay, y, m, d, weekday, day (a day number),
 * time ("17:00" or null), instant (ms or null)}; null when missing or unreadable.
 */
export function readDue(iso) {
  if (typeof iso !== "string") return null;
  const plain = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (plain) {
    const [y, m, d] = plain.slice(1).map(Number);
    return { allDay: true, y, m, d, weekday: new Date(Date.UTC(y, m - 1, d)).getUTCDay(), day: dayNumber(y, m, d), time: null, instant: null };
  }
  const instant = Date.parse(iso);
  if (Number.isNaN(instant)) return null;
  const local = new Date(instant);
  const [y, m, d] = [local.getFullYear(), local.getMonth() + 1, local.getDate()];
  return { allDay: false, y, m, d, weekday: local.getDay(), day: dayNumber(y, m, d), time: `${pad(local.getHours())}:${pad(local.getMinutes())}`, instant };
}

/** Today's local day number and the start of tomorrow (ms), for `now`. */
function todayOf(now) {
  const n = new Date(now);
  return { day: dayNumber(n.getFullYear(), n.getMonth() + 1, n.getDate()), tomorrowStart: new Date(n.getFullYear(), n.getMonth(), n.getDate() + 1).getTime() };
}

/** Whether an open task is past due: a timed due before now, an all-day due before today. */
export function isOverdue(task, now = Date.now()) {
  const due = readDue(task.due);
  if (!due || task.completed) return false;
  return due.allDay ? due.day < todayOf(now).day : due.instant < now;
}

/**
 * A short relative label: "today", "tomorrow 17:00", "Fri", "in 12 days", "5 Jan", "yesterday (overdue)",
 * "3 days overdue". Overdue labels always say so in words.
 */
export function relativeDue(task, now = Date.now()) {
  const due = readDue(task.due);
  if (!due) return "";
  const today = todayOf(now).day;
  const days = due.day - today;
  let word;
  if (days === 0) word = "today";
  else if (days === 1) word = "tomorrow";
  else if (days === -1) word = "yesterday";
  else if (days >= 2 && days <= 6) word = WEEKDAYS[due.weekday];
  else if (days >= 7 && days <= 30) word = `in ${days} days`;
  else word = `${due.d} ${MONTHS[due.m - 1].slice(0, 3)}${due.y === new Date(now).getFullYear() ? "" : ` ${due.y}`}`;
  if (due.time) word += ` ${due.time}`;
  if (!isOverdue(task, now)) return word;
  return days < -1 ? `${-days} days overdue` : `${word} (overdue)`;
}

/** The full date for a tooltip and screen readers: "Friday 4 December 2026 at 17:00". */
export function absoluteDue(task) {
  const due = readDue(task.due);
  if (!due) return "";
  return `${WEEKDAY_NAMES[due.weekday]} ${due.d} ${MONTHS[due.m - 1]} ${due.y}${due.time ? ` at ${due.time}` : ""}`;
}

/** Whether a task belongs in a view: today (open, overdue or due today), upcoming (open, due later), all. */
export function inView(task, view, now = Date.now()) {
  if (view === "all") return true;
  const due = readDue(task.due);
  if (!due || task.completed) return false;
  const { day, tomorrowStart } = todayOf(now);
  const later = due.allDay ? due.day > day : due.instant >= tomorrowStart;
  return view === "upcoming" ? later : !later;
}

/** Orders by due (tasks without one last; all-day before timed on a day), ties in the given order. */
export function byDue(tasks) {
  const key = (t) => {
    const due = readDue(t.due);
    return due ? due.day * 1e6 + (due.time ? 1 + Number(due.time.slice(0, 2)) * 60 + Number(due.time.slice(3)) : 0) : Infinity;
  };
  return tasks.map((t, i) => [key(t), i, t]).sort((a, b) => (a[0] - b[0]) || (a[1] - b[1])).map((e) => e[2]);
}

/** The edit form's inputs for a due value: {date: "2026-12-01", time: "17:00" or ""}. */
export function dueInputs(iso) {
  const due = readDue(iso);
  if (!due) return { date: "", time: "" };
  return { date: `${due.y}-${pad(due.m)}-${pad(due.d)}`, time: due.time || "" };
}

/** The due value for the edit form's date and optional time, at the browser zone's offset then. */
export function dueFromInputs(date, time) {
  if (!date) return null;
  if (!time) return date;
  const [y, m, d] = date.split("-").map(Number);
  const [hh, mm] = time.split(":").map(Number);
  const local = new Date(y, m - 1, d, hh, mm);
  const offset = -local.getTimezoneOffset();
  const sign = offset < 0 ? "-" : "+";
  const abs = Math.abs(offset);
  return `${local.getFullYear()}-${pad(local.getMonth() + 1)}-${pad(local.getDate())}T${pad(local.getHours())}:${pad(local.getMinutes())}:00${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** A short English summary of RRULE text, like Recurrence.summary: "every month on the 1st". */
export function recurrenceSummary(rrule) {
  if (typeof rrule !== "string") return "";
  const parts = Object.fromEntries(rrule.replace(/^RRULE:/i, "").split(";").map((p) => p.split("=")).map(([k, v]) => [String(k).toUpperCase(), String(v ?? "").toUpperCase()]));
  const unit = { DAILY: "day", WEEKLY: "week", MONTHLY: "month", YEARLY: "year" }[parts.FREQ];
  if (!unit) return "repeats";
  const interval = Number(parts.INTERVAL || 1);
  const days = parts.BYDAY ? parts.BYDAY.split(",").map((c) => RRULE_DAYS[c] || c) : [];
  if (interval === 1 && days.length === 5 && !days.includes("Sat") && !days.includes("Sun")) return "every weekday";
  let text = interval === 1 ? `every ${unit}` : `every ${interval} ${unit}s`;
  if (days.length) text += ` on ${days.join(", ")}`;
  if (parts.BYMONTHDAY) {
    const n = Number(parts.BYMONTHDAY);
    if (parts.BYMONTH) text += ` on ${MONTHS[Number(parts.BYMONTH) - 1]} ${n === -1 ? "(last day)" : n}`;
    else text += ` on ${n === -1 ? "the last day" : `the ${ordinal(n)}`}`;
  }
  return text;
}

function ordinal(n) {
  const suffix = [11, 12, 13].includes(n % 100) ? "th" : { 1: "st", 2: "nd", 3: "rd" }[n % 10] || "th";
  return `${n}${suffix}`;
}
