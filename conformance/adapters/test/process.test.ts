import { expect } from 'chai';
import { DETAIL_LINES, implementationErrorMessage } from '../process';

describe('conformance/adapters/process error answers', () => {
  it('keeps the last lines of the detail (the traceback) after the message', () => {
    const detail = ['Traceback (most recent call last):', ...Array.from({ length: 8 }, (_, i) => `  frame ${i}`), 'KeyError: x', ''].join('\n');
    const lines = implementationErrorMessage({ message: 'adapter child failed', detail }).split('\n');
    expect(lines[0]).to.equal('implementation error: adapter child failed');
    expect(lines[1]).to.equal('  …');
    expect(lines.slice(2)).to.have.length(DETAIL_LINES);
    expect(lines[lines.length - 1]).to.equal('  KeyError: x');
  });

  it('is the message alone without a detail', () => {
    expect(implementationErrorMessage({ message: 'timed out' })).to.equal('implementation error: timed out');
    expect(implementationErrorMessage({ message: 'm', detail: '\n' })).to.equal('implementation error: m');
  });
});
