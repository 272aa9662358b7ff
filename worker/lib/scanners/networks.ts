/**
 * Networks that mail-security services fetch links from. Data, not logic: update the lists here
 * (and the date) when the vendors publish changes. A click from one of these networks is a robot
 * unless a human interaction later confirms it from elsewhere (`worker/lib/classify.ts`).
 *
 * Ranges are matched against the stored, truncated address (IPv4 /24, IPv6 /48), so every range
 * here must be /24 or wider for IPv4 and /48 or wider for IPv6. Last reviewed: 2026-11.
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
    // included (ASN 8075). The ranges are Exchange Online Protection's published SMTP ranges
    // (row ID 10, "Exchange Online", of the Microsoft 365 endpoints list) plus the large Azure
    // blocks that Safe Links detonation has been seen coming from.
    name: 'microsoft',
    asns: [8075],
    organization: /^microsoft\b/i,
    ranges: [
      // Exchange Online Protection (Microsoft 365 URLs and IP address ranges, ID 10)
      '40.92.0.0/15',
      '40.107.0.0/16',
      '52.100.0.0/15',
      '52.102.0.0/16',
      '52.103.0.0/17',
      '104.47.0.0/17',
      '2a01:111:f400::/48',
      '2a01:111:f403::/48',
      // Azure public cloud blocks (Azure IP Ranges and Service Tags, "AzureCloud")
      '13.64.0.0/11',
      '20.33.0.0/16',
      '20.34.0.0/15',
      '20.36.0.0/14',
      '20.40.0.0/13',
      '20.48.0.0/12',
      '20.64.0.0/10',
      '20.128.0.0/16',
      '20.150.0.0/15',
      '20.160.0.0/12',
      '20.184.0.0/13',
      '20.192.0.0/10',
      '40.64.0.0/13',
      '40.74.0.0/15',
      '40.76.0.0/14',
      '40.80.0.0/12',
      '40.96.0.0/12',
      '40.112.0.0/13',
      '40.120.0.0/14',
      '40.124.0.0/16',
      '51.104.0.0/15',
      '52.96.0.0/14',
      '52.136.0.0/13',
      '52.145.0.0/16',
      '52.146.0.0/15',
      '52.148.0.0/14',
      '52.152.0.0/13',
      '52.160.0.0/11',
      '104.40.0.0/13',
      '137.116.0.0/15',
      '137.135.0.0/16',
      '138.91.0.0/16',
      '157.55.0.0/16',
      '168.61.0.0/16',
      '168.62.0.0/15',
      '191.232.0.0/13',
    ],
    source:
      'https://learn.microsoft.com/en-us/microsoft-365/enterprise/urls-and-ip-address-ranges (Exchange Online, ID 10); https://www.microsoft.com/en-us/download/details.aspx?id=56519 (Azure IP Ranges and Service Tags); ASN 8075 (MICROSOFT-CORP-MSN-AS-BLOCK)',
  },
  {
    name: 'proofpoint',
    asns: [22843, 26211],
    organization: /proofpoint/i,
    ranges: ['67.231.144.0/20', '148.163.128.0/19', '185.183.28.0/22', '205.220.160.0/19'],
    source: 'https://help.proofpoint.com/Proofpoint_Essentials/Email_Security/Administrator_Topics/000_gettingstarted/020_connectiondetails (Proofpoint Essentials/pphosted IP ranges); ASNs 22843, 26211 (Proofpoint, Inc.)',
  },
  {
    name: 'mimecast',
    asns: [30031, 42427],
    organization: /mimecast/i,
    ranges: ['205.139.110.0/24', '207.211.30.0/24', '207.211.31.0/24', '216.205.24.0/24', '170.10.128.0/24', '170.10.129.0/24', '170.10.132.0/24', '170.10.133.0/24', '91.220.42.0/24', '195.130.217.0/24', '185.58.84.0/22'],
    source: 'https://community.mimecast.com/s/article/Mimecast-Data-Centers-and-URLs (Mimecast data centre IP ranges); ASNs 30031, 42427 (Mimecast)',
  },
  {
    name: 'barracuda',
    asns: [15324],
    organization: /barracuda/i,
    ranges: ['64.235.144.0/20', '209.222.80.0/21', '35.157.190.0/24', '3.97.99.0/24'],
    source: 'https://campus.barracuda.com/product/emailgatewaydefense/doc/3211265/ (Email Gateway Defense IP ranges); ASN 15324 (Barracuda Networks)',
  },
  {
    // Gmail's link and attachment scanners fetch from Google's own network. People are not on
    // AS15169 (Google Cloud customers are on AS396982, not listed here).
    name: 'google',
    asns: [15169],
    organization: /^google llc$/i,
    ranges: ['66.249.64.0/19', '66.102.0.0/20', '64.233.160.0/19', '72.14.192.0/18', '74.125.0.0/16', '209.85.128.0/17', '2001:4860:4801::/48'],
    source: 'https://developers.google.com/search/apis/ipranges/special-crawlers.json and https://www.gstatic.com/ipranges/goog.json (Google-owned ranges); ASN 15169 (Google LLC)',
  },
];
