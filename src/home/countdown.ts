import { daysBetween, formatDate, localDate, wallClock } from '../common/zoned-time';
import { placeOf } from '../meetings/place';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * The time between two instants in the two largest units that matter: "2 days 4 hours",
 * "3 hours 20 minutes", "12 minutes". Elapsed time, so a daylight-saving change in between counts
 * as the hour it adds or removes (the wall-clock times beside it show the local hour).
 */
export function span(ms: number): string {
  const abs = Math.abs(ms);
  const days = Math.floor(abs / DAY);
  const hours = Math.floor((abs % DAY) / HOUR);
  const minutes = Math.floor((abs % HOUR) / MINUTE);
  if (days > 0) return hours ? `${unit(days, 'day')} ${unit(hours, 'hour')}` : unit(days, 'day');
  if (hours > 0) return minutes ? `${unit(hours, 'hour')} ${unit(minutes, 'minute')}` : unit(hours, 'hour');
  return minutes ? unit(minutes, 'minute') : 'less than a minute';
}

/** "due in 2 days 4 hours" or "overdue by 5 hours", relative to `now`. */
export function countdown(due: Date, now: Date): { text: string; overdue: boolean; soon: boolean } {
  const ms = due.getTime() - now.getTime();
  return ms > 0 ? { text: `due in ${span(ms)}`, overdue: false, soon: ms < 2 * DAY } : { text: `overdue by ${span(ms)}`, overdue: true, soon: false };
}

/** "3 days" since an instant: how long something has waited. */
export function age(since: Date, now: Date): string {
  return span(Math.max(0, now.getTime() - since.getTime()));
}

/** "Tue 22 Oct", with the year when it is not the year of `now` there. */
const shortDay = (instant: Date, zone: string, now?: Date) => {
  const date = localDate(instant, zone);
  return formatDate(date)
    .split(' ')
    .slice(0, now && localDate(now, zone).slice(0, 4) !== date.slice(0, 4) ? 4 : 3)
    .join(' ');
};

/**
 * An instant as the team reads it and as the venue does (the course's zone), the second only where
 * it differs: "Tue 22 Oct 17:00 Hanoi · 18:00 Shanghai (venue)"; the venue's day is repeated when
 * it is another day there, and the year is added when it is not the year of `now`.
 */
export function teamAndVenue(instant: Date, teamZone: string, venueZone: string, now?: Date): string {
  const here = `${shortDay(instant, teamZone, now)} ${wallClock(instant, teamZone).slice(11)} ${placeOf(teamZone)}`;
  if (teamZone === venueZone || wallClock(instant, teamZone) === wallClock(instant, venueZone)) return here;
  const sameDay = localDate(instant, teamZone) === localDate(instant, venueZone);
  return `${here} · ${sameDay ? '' : `${shortDay(instant, venueZone, now)} `}${wallClock(instant, venueZone).slice(11)} ${placeOf(venueZone)} (venue)`;
}

/** Whole calendar days from `today` to `date` (both "YYYY-MM-DD"), as words: "today", "tomorrow", "in 3 days". */
export function daysFromToday(today: string, date: string): { days: number; text: string } {
  const days = daysBetween(today, date);
  return { days, text: days === 0 ? 'today' : days === 1 ? 'tomorrow' : days > 1 ? `in ${days} days` : `${unit(-days, 'day')} ago` };
}
