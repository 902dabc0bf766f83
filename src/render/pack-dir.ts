import tar from 'tar-fs';

type Header = Parameters<NonNullable<tar.PackOptions['map']>>[0];

/** A folder as a tar stream (a Docker build context or a root filesystem); `ignore` gets absolute paths. */
export function packDir(dir: string, map?: (header: Header) => Header, ignore?: (file: string) => boolean): NodeJS.ReadableStream {
  return tar.pack(dir, { ...(map ? { map } : {}), ...(ignore ? { ignore } : {}) }) as unknown as NodeJS.ReadableStream;
}
