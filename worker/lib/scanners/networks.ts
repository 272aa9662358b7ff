/**
 * Networks that mail-security services fetch links from. Data, not logic: update the lists here
 * (and the date) when the vendors publish changes. A click from one of these networks is a robot
 * unless a human interaction later confirms it from elsewhere (`worker/lib/classify.ts`).
 *
 * Ranges are matched against the stored, truncated address (IPv4 /24, IPv6 /48), so every range
 * here must be /24 or wider for IPv4 and /48 or wider for IPv6. Where a vendor publishes a narrower
 * block (a /25../32), the enclosing /24 is listed and the comment says so. Last reviewed: 2026-11.
 */
export interface ScannerNetwork {
  /** Short name stored in the classification reason (`network:<name>`). */
  name: string;
  /** Autonomous system numbers (Cloudflare's `request.cf.asn` on Workers). */
  asns: number[];
  /** Matched against `request.cf.asOrganization` when the ASN is not listed. */
  organization?: RegExp;
  /** CIDR ranges, IPv4 or IPv6. */
  ranges: string[];
  source: string;
}

export const SCANNER_NETWORKS: ScannerNetwork[] = [
  {
    // Safe Links and Defender for Office 365 detonation run in Microsoft's own network, Azure
    // included (ASN 8075). The ranges are Exchange Online Protection's published ranges, the other
    // Exchange Online service ranges, and the Azure blocks that the "AzureCloud" service tag covers.
    name: 'microsoft',
    asns: [8075],
    organization: /^microsoft\b/i,
    ranges: [
      // Exchange Online Protection: Microsoft 365 endpoints, Exchange Online ID 10 (TCP 25), also the
      // "EOPExternalPublishedIPs" Azure service tag.
      '40.92.0.0/15',
      '40.107.0.0/16',
      '52.100.0.0/14',
      '104.47.0.0/17',
      '2a01:111:f400::/48',
      '2a01:111:f403::/48',
      // 40.94.0.0/15: not in the current ID 10 row (40.92.0.0/15), but inside 40.92.0.0/14, which
      // the "EOPExternalPublishedIPs" service tag lists (another version of the tag lists only
      // 40.92.0.0/15 plus 40.95.x /24s) and which Microsoft's earlier EOP lists carried. Safe Links
      // pre-delivery fetches are reported from 40.94.x.x.
      '40.94.0.0/15',
      // Exchange Online service ranges (ID 1, outlook.office365.com): Microsoft's own servers.
      '40.96.0.0/13',
      '40.104.0.0/15',
      '52.96.0.0/14',
      // Azure public cloud: blocks (nearly) all inside the "AzureCloud" service tag (Azure IP Ranges
      // and Service Tags – Public Cloud). Summarised; small gaps inside a block are Microsoft space.
      '13.64.0.0/11',
      '20.33.0.0/16',
      '20.36.0.0/14',
      '20.40.0.0/13',
      '20.48.0.0/12',
      '20.64.0.0/10',
      '20.150.0.0/15',
      '20.160.0.0/12',
      '20.184.0.0/13',
      '20.192.0.0/10',
      '40.64.0.0/15',
      '40.67.0.0/16',
      '40.68.0.0/14',
      '40.74.0.0/15',
      '40.76.0.0/14',
      '40.80.0.0/13',
      '40.88.0.0/15',
      '40.112.0.0/13',
      '40.120.0.0/14',
      '40.124.0.0/16',
      '51.104.0.0/15',
      '52.136.0.0/13',
      '52.146.0.0/15',
      '52.148.0.0/14',
      '52.152.0.0/13',
      '52.160.0.0/13',
      '52.168.0.0/13',
      '52.176.0.0/14',
      '52.180.0.0/16',
      '52.182.128.0/17',
      '52.183.0.0/16',
      '52.184.0.0/13',
      '104.40.0.0/14',
      '104.45.0.0/16',
      '104.46.0.0/16',
      '104.47.128.0/18',
      '137.116.0.0/15',
      '137.135.0.0/16',
      '138.91.0.0/16',
      '168.61.0.0/16',
      '168.62.0.0/15',
      '191.232.0.0/13',
    ],
    source:
      'https://learn.microsoft.com/en-us/microsoft-365/enterprise/urls-and-ip-address-ranges (Exchange Online IDs 1 and 10; also https://github.com/MicrosoftDocs/microsoft-365-docs/blob/public/microsoft-365/includes/office-365-worldwide-endpoints.md); https://www.microsoft.com/en-us/download/details.aspx?id=56519 (Azure IP Ranges and Service Tags: "AzureCloud", "EOPExternalPublishedIPs"; read via the mirror https://github.com/rezmoss/cloud-provider-ip-addresses/tree/main/azure/services); ASN 8075 (Microsoft)',
  },
  {
    name: 'proofpoint',
    // 22843 and 26211 (Proofpoint, Inc.) and 52129 originate the published Proofpoint ranges below.
    asns: [22843, 26211, 52129],
    organization: /proofpoint/i,
    ranges: [
      // Proofpoint Essentials US and Proofpoint support "IP addresses" (67.231.144.0/20).
      '67.231.144.0/20',
      '148.163.128.0/19',
      // Proofpoint (pphosted) blocks; listed as Proofpoint in Microsoft's GCC IP-throttling list and
      // originated by AS26211/22843/52129.
      '66.159.224.0/19',
      '205.220.160.0/19',
      // Proofpoint Essentials EU.
      '62.209.50.0/24',
      '62.209.51.0/24',
      '91.207.212.0/23',
      '91.209.104.0/24',
      '185.132.180.0/22',
      '185.183.28.0/22',
    ],
    source:
      'https://help.proofpoint.com/Proofpoint_Essentials/Email_Security/Administrator_Topics/000_gettingstarted/020_connectiondetails (Proofpoint Essentials IP ranges, as transcribed in public admin scripts); https://proofpoint.my.site.com/support/PPSup_SupportInfo (67.231.144.0/20, 62.209.50.0/24, 91.209.104.0/24); ASN prefixes: https://github.com/Medium1992/MikroTik_IPlist/tree/main/for_scripts/asnv4 (AS22843, AS26211, AS52129)',
  },
  {
    name: 'mimecast',
    asns: [30031, 42427],
    organization: /mimecast/i,
    // Mimecast's SPF netblocks (xx._netblocks.mimecast.com). Published /25-/32 blocks are listed as
    // their enclosing /24 (207.211.30.64/26+.128/25, 207.211.31.0/25, 170.10.132.56/29+.64/29,
    // 213.167.75.0/25, 213.167.81.0/25, 193.7.206.0/25, 193.7.207.0/25, 194.104.108-110 parts,
    // 103.96.20/22 parts, 170.10.144/146 parts). Single /32s whose /24 is not otherwise Mimecast's
    // (207.211.41.113, 62.140.10.21) are left out.
    ranges: [
      // US
      '63.128.21.0/24',
      '170.10.128.0/24',
      '170.10.129.0/24',
      '170.10.132.0/24',
      '170.10.133.0/24',
      '205.139.110.0/24',
      '207.211.30.0/24',
      '207.211.31.0/24',
      '216.145.221.0/24',
      '216.205.24.0/24',
      // EU (185.58.84.0/22 is originated by AS42427; .84-.86 are in the SPF records)
      '91.220.42.0/24',
      '146.101.78.0/24',
      '147.28.36.0/24',
      '185.58.84.0/22',
      '193.7.206.0/24',
      '193.7.207.0/24',
      '195.130.217.0/24',
      '207.82.80.0/24',
      '213.167.75.0/24',
      '213.167.81.0/24',
      // DE
      '51.163.158.0/24',
      '62.140.7.0/24',
      '194.104.108.0/22',
      // ZA
      '41.74.192.0/21',
      '41.74.200.0/23',
      '41.74.204.0/23',
      '41.74.206.0/24',
      // AU
      '103.13.69.0/24',
      '103.96.20.0/22',
      '124.47.150.0/24',
      '124.47.189.0/24',
      '180.189.28.0/24',
      '216.145.217.0/24',
      // CA
      '170.10.144.0/22',
      '216.145.216.0/24',
    ],
    source:
      'https://community.mimecast.com/docs/DOC-2010 (SPF: include:_netblocks.mimecast.com and its eu/us/za/de/au/ca records; resolved record contents read from https://github.com/apiverve/spfvalidator.Python-API README); https://community.mimecast.com/s/article/Mimecast-Data-Centers-and-URLs (per-region ranges); ASN prefixes: https://github.com/Medium1992/MikroTik_IPlist/tree/main/for_scripts/asnv4 (AS30031, AS42427)',
  },
  {
    name: 'barracuda',
    asns: [15324],
    organization: /barracuda/i,
    ranges: [
      // Email Gateway Defense (US): 209.222.80.0/255.255.248.0 is the range Barracuda's own
      // documentation uses; AS15324 originates 209.222.83.0/24.
      '209.222.80.0/21',
      // Unverified as a scanner range: Barracuda's own network (AS15324 originates 64.235.150.0/24,
      // .155.0/24 and .158.0/24 from it; the legacy Email Security Service range). Kept because the
      // ASN rule already treats it as Barracuda on Workers.
      '64.235.144.0/20',
    ],
    source:
      'https://campus.barracuda.com/product/emailgatewaydefense/doc/96023004/ip-analysis-inbound/ (209.222.80.0/21); https://campus.barracuda.com/product/essentials/doc/78810332/barracuda-email-security-service/ (per-region ranges); ASN prefixes: https://github.com/Medium1992/MikroTik_IPlist/blob/main/for_scripts/asnv4/AS15324.rsc',
  },
  {
    // Gmail's link and attachment scanners fetch from Google's own network. People are not on
    // AS15169 (Google Cloud customers are on AS396982, not listed here). The IPv4 blocks are
    // goog.json entries that are not Google Cloud customer space; the IPv6 /48 encloses the /64s of
    // the crawler and special-crawler lists.
    name: 'google',
    asns: [15169],
    organization: /^google llc$/i,
    ranges: ['64.233.160.0/19', '66.102.0.0/20', '66.249.64.0/19', '72.14.192.0/18', '74.125.0.0/16', '209.85.128.0/17', '2001:4860:4801::/48'],
    source:
      'https://www.gstatic.com/ipranges/goog.json (Google-owned ranges); https://developers.google.com/static/crawling/ipranges/special-crawlers.json and https://developers.google.com/crawling/docs/crawlers-fetchers/google-user-triggered-fetchers (crawler/fetcher ranges; moved from /search/apis/ipranges/ in 2026); ASN 15169 (Google LLC)',
  },
];
