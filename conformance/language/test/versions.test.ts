import { expect } from 'chai';
import {
  KNOWN_PYTHONS, VersionRangeError, checkRange, intersect, isEmpty, isSubset, matches, mergeVersions,
  overlaps, parseRange, simplify, sortVersions, versionsIn,
} from '../versions';

describe('versions', () => {
  describe('parseRange', () => {
    it('reads the forms scenarios use', () => {
      expect(parseRange('*').clauses).to.deep.equal([]);
      expect(parseRange('>=3.7').clauses).to.deep.equal([{ op: '>=', version: [3, 7] }]);
      expect(parseRange('>=3.8, <3.11').clauses).to.deep.equal([{ op: '>=', version: [3, 8] }, { op: '<', version: [3, 11] }]);
      expect(parseRange('3.9').clauses).to.deep.equal([{ op: '==', version: [3, 9] }]);
      expect(parseRange('!=3.12').clauses).to.deep.equal([{ op: '!=', version: [3, 12] }]);
    });

    it('says what is wrong with a bad range', () => {
      expect(checkRange('')).to.equal('bad version range "": empty; write "*" for every version');
      expect(checkRange('=>3.8')).to.equal('bad version range "=>3.8": unknown operator in "=>3.8"; use one of >=, <=, >, <, ==, !=');
      expect(checkRange('>=3.10.2')).to.equal('bad version range ">=3.10.2": "3.10.2" has a patch level; versions are minor releases such as 3.10');
      expect(checkRange('>=3.8,')).to.equal('bad version range ">=3.8,": empty clause between commas');
      expect(checkRange('*,>=3.8')).to.equal('bad version range "*,>=3.8": "*" cannot be combined with other clauses');
      expect(checkRange('>=three')).to.equal('bad version range ">=three": "three" is not a version of the form major.minor (e.g. 3.10)');
      expect(() => parseRange('~=3.8')).to.throw(VersionRangeError);
    });
  });

  describe('matches', () => {
    it('compares minor versions numerically, so 3.10 comes after 3.9', () => {
      expect(matches('>=3.9', '3.10')).to.equal(true);
      expect(matches('<3.10', '3.9')).to.equal(true);
      expect(matches('<3.10', '3.10')).to.equal(false);
    });

    it('judges a full version by its minor release', () => {
      expect(matches('==3.11', '3.11.7')).to.equal(true);
      expect(matches('>=3.8,<3.11', '3.10.13')).to.equal(true);
    });

    it('treats a bare version as == and * as everything', () => {
      expect(matches('3.9', '3.9')).to.equal(true);
      expect(matches('3.9', '3.10')).to.equal(false);
      expect(matches('*', '3.14')).to.equal(true);
    });
  });

  it('knows Python 3.7 to 3.14', () => {
    expect(KNOWN_PYTHONS).to.deep.equal(['3.7', '3.8', '3.9', '3.10', '3.11', '3.12', '3.13', '3.14']);
    expect(versionsIn('>=3.8,<3.11')).to.deep.equal(['3.8', '3.9', '3.10']);
  });

  it('decides emptiness, overlap and inclusion exactly, beyond the known versions too', () => {
    expect(isEmpty('>=3.11,<3.8')).to.equal(true);
    expect(isEmpty('>=3.20')).to.equal(false);
    expect(overlaps('>=3.8,<3.11', '>=3.10')).to.equal(true);
    expect(overlaps('<3.11', '>=3.11')).to.equal(false);
    expect(isSubset('>=3.12', '>=3.7')).to.equal(true);
    expect(isSubset('<3.11', '>=3.8')).to.equal(false);
    expect(isSubset('==3.15', '<3.15')).to.equal(false);
    expect(isSubset('>=3.8,!=3.9', '>=3.8')).to.equal(true);
  });

  it('intersects two ranges into one simplified range', () => {
    expect(intersect('>=3.7', '<3.11')).to.equal('>=3.7,<3.11');
    expect(intersect('<3.11', '>=3.8')).to.equal('>=3.8,<3.11');
    expect(intersect('>=3.9,<3.10', '*')).to.equal('==3.9');
    expect(intersect('>=3.11', '<3.8')).to.equal('<0.0');
    expect(simplify('>3.8,<=3.12,!=3.10,!=3.20')).to.equal('>=3.9,<3.13,!=3.10');
  });

  it('merges a set of versions into the fewest ranges, leaving the newest run open', () => {
    expect(mergeVersions(['3.7', '3.8', '3.9', '3.10'])).to.deep.equal(['>=3.7,<3.11']);
    expect(mergeVersions(['3.8', '3.12', '3.13', '3.14'])).to.deep.equal(['==3.8', '>=3.12']);
    expect(mergeVersions(KNOWN_PYTHONS)).to.deep.equal(['>=3.7']);
    expect(mergeVersions(['3.10.13', '3.9'])).to.deep.equal(['>=3.9,<3.11']);
    expect(mergeVersions([])).to.deep.equal([]);
    expect(() => mergeVersions(['3.6'])).to.throw('version 3.6 is not among');
  });

  it('sorts versions numerically', () => {
    expect(sortVersions(['3.10', '3.9', '3.14', '3.7'])).to.deep.equal(['3.7', '3.9', '3.10', '3.14']);
  });
});
