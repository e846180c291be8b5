/** What was last sent for one (group, receiver). */
export interface NotificationEntry {
  firing: string[];
  resolved: string[];
  /** ms */
  sentAt: number;
}

/** Why a flush sends, or that it does not. */
export type NotifyReason = 'first' | 'new-alerts' | 'resolved' | 'repeat-elapsed' | 'skip';

/**
 * Alertmanager's decision (notify/notify.go needsUpdate, 0.25): compares the *set* of firing
 * and resolved alerts with the last notification, so a flap between two flushes sends nothing.
 */
export function decide(
  entry: NotificationEntry | undefined,
  firing: string[],
  resolved: string[],
  sendResolved: boolean,
  repeatIntervalMs: number,
  now: number,
): NotifyReason {
  if (!entry) return firing.length ? 'first' : 'skip';
  const lastFiring = new Set(entry.firing);
  if (firing.some((f) => !lastFiring.has(f))) return 'new-alerts';
  // Everything resolved: tell the receiver, unless it never heard of the alerts.
  if (firing.length === 0) return entry.firing.length ? 'resolved' : 'skip';
  const lastResolved = new Set(entry.resolved);
  if (sendResolved && resolved.some((r) => !lastResolved.has(r))) return 'resolved';
  return entry.sentAt <= now - repeatIntervalMs ? 'repeat-elapsed' : 'skip';
}
