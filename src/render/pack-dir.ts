import tar from 'tar-fs';

type Header = Parameters<NonNullable<tar.PackOptions['map']>>[0];

/** A folder as a tar stream (a Docker build context or a root filesystem). */
export function packDir(dir: string, map?: (header: Header) => Header): NodeJS.ReadableStream {
  return tar.pack(dir, map ? { map } : {}) as unknown as NodeJS.ReadableStream;
}
