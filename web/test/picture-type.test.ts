import { describe, expect, it } from 'vitest';
import { inlinePictureType, matchesMagic } from '../src/state/picture-type';

const bytes = (...parts: Array<string | number[]>) =>
  new Uint8Array(parts.flatMap((part) => (typeof part === 'string' ? Array.from(part, (char) => char.charCodeAt(0)) : part)));

describe('inline pictures', () => {
  it('shows only PNG, JPEG, GIF and WebP inline', () => {
    expect(inlinePictureType('image/png')).toBe('image/png');
    expect(inlinePictureType(' IMAGE/JPEG ')).toBe('image/jpeg');
    expect(inlinePictureType('image/gif')).toBe('image/gif');
    expect(inlinePictureType('image/webp')).toBe('image/webp');
    expect(inlinePictureType('image/svg+xml')).toBeNull();
    expect(inlinePictureType('text/html')).toBeNull();
    expect(inlinePictureType('image/bmp')).toBeNull();
    expect(inlinePictureType('')).toBeNull();
  });
  it('accepts bytes that start with the declared format signature', () => {
    expect(matchesMagic('image/png', bytes([0x89], 'PNG', [0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]))).toBe(true);
    expect(matchesMagic('image/jpeg', bytes([0xff, 0xd8, 0xff, 0xe0]))).toBe(true);
    expect(matchesMagic('image/gif', bytes('GIF89a'))).toBe(true);
    expect(matchesMagic('image/gif', bytes('GIF87a'))).toBe(true);
    expect(matchesMagic('image/webp', bytes('RIFF', [1, 2, 3, 4], 'WEBP'))).toBe(true);
  });
  it('refuses a label that does not match the bytes', () => {
    expect(matchesMagic('image/png', bytes('<svg xmlns="http://www.w3.org/2000/svg">'))).toBe(false);
    expect(matchesMagic('image/png', bytes([0xff, 0xd8, 0xff, 0xe0]))).toBe(false);
    expect(matchesMagic('image/webp', bytes('RIFF', [1, 2, 3, 4], 'WAVE'))).toBe(false);
    expect(matchesMagic('image/gif', bytes('GIF8'))).toBe(false);
    expect(matchesMagic('image/jpeg', new Uint8Array())).toBe(false);
  });
});
