/** One stats reading of a child. Counters are cumulative since the container started. */
export interface ChildStats {
  read: Date;
  cpu: {
    /** CPU time the container used, in nanoseconds, now and at the previous reading (0 when none). */
    totalNs: number;
    previousTotalNs: number;
    /** The host's CPU time, now and at the previous reading (0 when none). */
    systemNs: number;
    previousSystemNs: number;
    onlineCpus: number;
  };
  memory: {
    /** cgroup usage, page cache included. */
    usage: number;
    /** Inactive file cache (what `docker stats` subtracts from usage). */
    inactiveFile: number;
    /** Anonymous memory: the processes' resident set. */
    rss: number;
    /** The cgroup limit, or the host's memory when there is none. */
    limit: number;
  };
  blockIo: { readBytes: number; writeBytes: number };
  network: { rxBytes: number; txBytes: number };
  /** Tasks (processes and threads) in the container. */
  pids: number;
}

export type ChildAction = 'start' | 'die' | 'oom' | 'kill' | 'stop' | 'restart' | 'destroy';

/** One lifecycle event of a child. */
export interface ChildEvent {
  action: ChildAction;
  childId: string;
  /** The container's labels (the engine repeats them on every event). */
  labels: Record<string, string>;
  /** `die` only. */
  exitCode: number | null;
  time: Date;
  /** Unique per event (engine time in ns, container, action): a replay after a re-attach is recognised by it. */
  key: string;
}

/** A live stream; `close()` ends it. */
export interface Subscription {
  close(): void;
}
