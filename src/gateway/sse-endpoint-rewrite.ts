import { Transform, type TransformCallback } from 'node:stream';

/**
 * Rewrites the `endpoint` event of a legacy SSE stream: the child announces `/messages?sessionId=…`,
 * which a client resolves against the forge's origin, so it must name the proxied path instead.
 * Only the first event is looked at; the rest of the stream passes through untouched.
 */
export class SseEndpointRewrite extends Transform {
  private head = '';
  private done = false;

  constructor(
    private readonly messagesPath: string,
    private readonly onSession: (sessionId: string) => void = () => undefined,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.done) return callback(null, chunk);
    this.head += chunk.toString('utf8');
    const end = this.head.search(/\r?\n\r?\n/);
    if (end < 0 && this.head.length < 64 * 1024) return callback();
    this.done = true;
    const rewritten = this.head.replace(/^data: ?\/messages(\?[^\r\n]*)?$/m, (_line, query: string | undefined) => {
      const sessionId = new URLSearchParams(query ?? '').get('sessionId');
      if (sessionId) this.onSession(sessionId);
      return `data: ${this.messagesPath}${query ?? ''}`;
    });
    this.head = '';
    callback(null, Buffer.from(rewritten, 'utf8'));
  }

  override _flush(callback: TransformCallback): void {
    callback(null, this.done ? undefined : this.head);
  }
}
