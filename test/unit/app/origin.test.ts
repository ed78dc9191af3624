// The app origin and deep links.
import { describe, expect, it } from 'vitest';
import { appUrl, deepLinkHash, isAppUrl } from '../../../src-main/app/origin';

describe('origin', () => {
  it('builds renderer URLs on pulmo://app', () => {
    expect(appUrl()).toBe('pulmo://app/index.html');
    expect(appUrl('#/series/1.2.3')).toBe('pulmo://app/index.html#/series/1.2.3');
    expect(appUrl('/about')).toBe('pulmo://app/index.html#/about');
    expect(isAppUrl(appUrl('#/series/1.2.3'))).toBe(true);
  });
  it('rejects look-alikes', () => {
    for (const u of ['pulmo://application/', 'pulmo://app.x/', 'pulmo://u:p@app/', 'pulmo://app:1/', 'http://app/', 'PULMO', '', null, undefined]) {
      expect(isAppUrl(u), String(u)).toBe(false);
    }
  });
  it('finds a deep link route in a command line', () => {
    expect(deepLinkHash(['/opt/Pulmo/pulmo', '--no-sandbox', 'pulmo://app/index.html#/series/1.3.6.1.4'])).toBe('#/series/1.3.6.1.4');
    expect(deepLinkHash(['/opt/Pulmo/pulmo', 'pulmo://app/'])).toBe('');
    expect(deepLinkHash(['/opt/Pulmo/pulmo', 'pulmo://app/index.html#"><script>'])).toBe('');
    expect(deepLinkHash(['/opt/Pulmo/pulmo', 'pulmo://evil/index.html#/series/1'])).toBeNull();
    expect(deepLinkHash(['/opt/Pulmo/pulmo', '/data/dicom'])).toBeNull();
  });
});
