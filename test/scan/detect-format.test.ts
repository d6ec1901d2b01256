import test from 'ava';
import { gzipSync } from 'node:zlib';
import { describeBinary, detectFormat, utf8BomLength } from '../../src/scan/detect-format';

const bytes = (s: string): Uint8Array => Buffer.from(s, 'latin1');

test('gzip by magic bytes', (t) => {
  t.is(detectFormat(gzipSync('hello\n')), 'gzip');
});

test('EVTX by its file signature', (t) => {
  t.is(detectFormat(bytes('ElfFile\0\0\0\0\0')), 'evtx');
});

test('NUL bytes and UTF-16 mean binary, with a reason', (t) => {
  t.is(detectFormat(new Uint8Array(100)), 'binary');
  t.regex(describeBinary(new Uint8Array(100)), /NUL byte at offset 0/);
  t.is(detectFormat(bytes('\xff\xfeh\0i\0')), 'binary');
  t.regex(describeBinary(bytes('\xff\xfeh\0i\0')), /UTF-16LE/);
  t.is(detectFormat(bytes('(\xb5/\xfdxx')), 'binary');
});

test('text, including empty input and a UTF-8 BOM', (t) => {
  t.is(detectFormat(bytes('{"a":1}\n')), 'text');
  t.is(detectFormat(new Uint8Array(0)), 'text');
  t.is(detectFormat(bytes('\xef\xbb\xbf{"a":1}\n')), 'text');
  t.is(utf8BomLength(bytes('\xef\xbb\xbfx')), 3);
  t.is(utf8BomLength(bytes('x')), 0);
});
