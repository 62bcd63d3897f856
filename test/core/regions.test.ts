import { App, Stack } from 'aws-cdk-lib';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { longestRegionLength } from '../../src/core/policy-size-kinds';
import { knownPartitionOf, LONGEST_REGION_LENGTH, partitionOfRegion, samlSignOnUrlOf, TABULATED_REGIONS } from '../../src/core/regions';

/**
 * The library's region table stands in for aws-cdk-lib's (`RegionInfo`), whose first use
 * loads every region fact: it must say what aws-cdk-lib says, for every region it knows.
 */
describe('the region table', () => {
  const regions = RegionInfo.regions;

  test('holds every region aws-cdk-lib knows, and no other', () => {
    expect([...TABULATED_REGIONS].sort()).toEqual(regions.map(r => r.name).sort());
  });

  test.each(regions.map(r => [r.name]))('%s: the partition and the SAML sign-in endpoint aws-cdk-lib gives', (name) => {
    const info = RegionInfo.get(name);
    expect(partitionOfRegion(name)).toBe(info.partition || undefined);
    expect(samlSignOnUrlOf(name)).toBe(info.samlSignOnUrl || undefined);
    expect(knownPartitionOf(new Stack(new App(), 'S', { env: { region: name } }))).toBe(info.partition || undefined);
  });

  test('the longest region name', () => {
    expect(LONGEST_REGION_LENGTH).toBe(Math.max(...regions.map(r => r.name.length)));
    expect(longestRegionLength()).toBe(Math.max(14, ...regions.map(r => r.name.length)));
  });

  test('a region the table does not know is read from aws-cdk-lib', () => {
    expect(partitionOfRegion('xx-nowhere-1')).toBe(RegionInfo.get('xx-nowhere-1').partition || undefined);
    expect(samlSignOnUrlOf('xx-nowhere-1')).toBe(RegionInfo.get('xx-nowhere-1').samlSignOnUrl || undefined);
  });

  test('a stack without a concrete region has no known partition', () => {
    expect(knownPartitionOf(new Stack(new App(), 'S'))).toBeUndefined();
  });
});
