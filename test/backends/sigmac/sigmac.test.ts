/**
 * Self-contained checks of the sigmac dialect: the rule-page rule, each documented sigmac quirk
 * (shared/reference/sigmac-grep.md, B-numbers) and sigmac's refusals as positioned diagnostics.
 */
import test from 'ava';
import { loadRuleText } from '../../../src/rule/load-rules';
import { convertSigmac, type SigmacBackend } from '../../../src/backends/sigmac';

function convert(detection: string, backend: SigmacBackend = 'grep', logsource = 'product: windows\n    service: sysmon', extra = '') {
  const text = `title: Test rule\nlogsource:\n    ${logsource}\ndetection:\n${detection}\n${extra}`;
  const loaded = loadRuleText('test.yml', text);
  if (loaded.diagnostics.length > 0) throw new Error(loaded.diagnostics.map((d) => d.message).join('; '));
  const rule = loaded.documents[0];
  if (!rule || rule.kind !== 'rule') throw new Error('no rule');
  return { ...convertSigmac(rule, backend, text), text };
}

const RULE_PAGE = `    selection:
        EventID: 3
        Image: '*\\powershell.exe'
    filter:
        DestinationIp:
            - '10.*'
            - '192.168.*'
            - '172.*'
            - '127.0.0.1'
        DestinationIsIpv6: 'false'
        User: 'NT AUTHORITY\\SYSTEM'
    condition: selection and not filter`;

test('rule-page rule: current sigmac grep output, unescaped backslashes and all', (t) => {
  const { output, diagnostics } = convert(RULE_PAGE);
  t.deepEqual(diagnostics, []);
  t.is(
    output,
    "grep -P -i '^(?:.*(?=.*(?:.*(?=.*3)(?=.*.*\\powershell\\.exe)))(?=.*(?!.*(?:.*(?=.*(?:.*10\\..*|.*192\\.168\\..*|.*172\\..*|.*127\\.0\\.0\\.1))(?=.*false)(?=.*NT AUTHORITY\\SYSTEM)))))'\n",
  );
});

test('rule-page rule in the query backends', (t) => {
  t.is(
    convert(RULE_PAGE, 'es-qs').output,
    '((EventID:"3" AND Image.keyword:*\\\\powershell.exe) AND (NOT (DestinationIp.keyword:(10.* OR 192.168.* OR 172.* OR 127.0.0.1) AND DestinationIsIpv6:"false" AND User:"NT\\ AUTHORITY\\\\SYSTEM")))\n',
  );
  t.is(
    convert(RULE_PAGE, 'graylog').output,
    '((EventID:"3" AND Image.keyword:*\\\\powershell.exe) AND (NOT (DestinationIp.keyword:(10.* 192.168.* 172.* 127.0.0.1) AND DestinationIsIpv6:"false" AND User:"NT\\ AUTHORITY\\\\SYSTEM")))\n',
  );
  t.is(
    convert(RULE_PAGE, 'splunk').output,
    // splunk wraps every AND in its own parentheses on top of the subexpression ones
    '((((EventID="3" Image="*\\\\powershell.exe")) NOT (((DestinationIp="10.*" OR DestinationIp="192.168.*" OR DestinationIp="172.*" OR DestinationIp="127.0.0.1") DestinationIsIpv6="false" User="NT AUTHORITY\\\\SYSTEM"))))\n',
  );
  t.is(
    convert(RULE_PAGE, 'logpoint').output,
    '((event_id="3" Image="*\\\\powershell.exe")  -(DestinationIp IN ["10.*", "192.168.*", "172.*", "127.0.0.1"] DestinationIsIpv6="false" User="NT AUTHORITY\\\\SYSTEM"))\n',
  );
});

test('B5: a single-node tree is anchored at the start of the line', (t) => {
  t.is(convert('    selection:\n        EventID: 4624\n    condition: selection').output, "grep -P -i '^4624'\n");
  t.is(convert("    keywords:\n        - 'error'\n    condition: keywords").output, "grep -P -i '^error'\n");
});

test('B9: aggregations are dropped by grep, kept by splunk', (t) => {
  const det = '    selection:\n        EventID: 4625\n    condition: selection | count() by TargetUserName > 5';
  t.is(convert(det).output, "grep -P -i '^4625'\n");
  t.is(convert(det, 'splunk').output, 'EventID="4625" | eventstats count as val by TargetUserName| search val > 5\n');
});

test('B2, B3: ? stays a PCRE quantifier and \\* becomes \\.*', (t) => {
  t.is(convert("    selection:\n        CommandLine: '*te?t*'\n    condition: selection").output, "grep -P -i '^.*te?t.*'\n");
  t.is(convert("    selection:\n        CommandLine|contains: 'foo\\*bar'\n    condition: selection").output, "grep -P -i '^.*foo\\.*bar.*'\n");
  t.is(convert("    selection:\n        Image|contains: '\\Temp\\'\n    condition: selection").output, "grep -P -i '^.*\\Temp\\\\.*'\n");
});

test('B10, B11: null becomes (?!Field), an empty value (?=.*)', (t) => {
  t.is(
    convert("    selection:\n        Image|endswith: '.exe'\n        CommandLine: null\n    condition: selection").output,
    "grep -P -i '^(?:.*(?=.*.*\\.exe)(?=.*(?!CommandLine)))'\n",
  );
  t.is(convert("    selection:\n        Image: 'a'\n        ParentImage: ''\n    condition: selection").output, "grep -P -i '^(?:.*(?=.*a)(?=.*))'\n");
});

test('B15: single quotes are closed and reopened for the shell', (t) => {
  t.is(convert("    selection:\n        CommandLine: \"it's\"\n    condition: selection").output, `grep -P -i '^it'"'"'s'\n`);
});

test('a top-level not is the only NOT that excludes', (t) => {
  t.is(convert("    filter:\n        User: 'SYSTEM'\n    condition: not filter").output, "grep -P -i '^(?!.*(?:.*(?=.*SYSTEM)))'\n");
});

test('B12: condition keywords are not word-bounded', (t) => {
  const r = convert("    selection:\n        a: 1\n    original:\n        b: 2\n    condition: selection and original");
  t.is(r.output, undefined);
  t.is(r.diagnostics.length, 1);
  t.is(r.diagnostics[0]!.code, 'SIGMAC_UNSUPPORTED');
  t.true(r.diagnostics[0]!.message.includes("SigmaParseError: Unknown definition 'iginal'"));
  t.is(r.diagnostics[0]!.position?.line, 10); // the condition
});

test('|re is refused with the position of the modifier', (t) => {
  const r = convert("    selection:\n        Image: 'a'\n        CommandLine|re: 'x.*y'\n    condition: selection");
  t.is(r.output, undefined);
  t.true(r.diagnostics[0]!.message.includes('NotImplementedError: Node type not implemented for this backend'));
  const splunk = convert("    selection:\n        CommandLine|re: 'x.*y'\n    condition: selection", 'splunk');
  t.true(splunk.diagnostics[0]!.message.includes("NotImplementedError: Type modifier 're' is not supported by backend"));
  t.is(convert("    selection:\n        CommandLine|re: '^x.*y'\n    condition: selection", 'es-qs').output, 'CommandLine.keyword:/x.*y.*/\n');
});

test('parse-time refusals point at the modifier key', (t) => {
  const r = convert("    selection:\n        DestinationIp|cidr: '10.0.0.0/8'\n    condition: selection");
  t.true(r.diagnostics[0]!.message.includes('SigmaParseError: Cannot convert the rule. Unsupported new cidr modifier by SIGMAC'));
  t.deepEqual([r.diagnostics[0]!.position?.line, r.diagnostics[0]!.position?.column], [7, 9]);
  const unknown = convert("    selection:\n        Image|exists: true\n    condition: selection");
  t.true(unknown.diagnostics[0]!.message.includes("KeyError: 'exists'"));
});

test('several conditions are refused, except by splunk which takes the first', (t) => {
  const det = "    a:\n        x: 1\n    b:\n        y: 2\n    condition:\n        - a\n        - b";
  t.true(convert(det).diagnostics[0]!.message.includes("NotImplementedError: Base backend doesn't support multiple conditions"));
  t.is(convert(det, 'splunk').output, 'x="1"\n');
});

test('keyword lists: es-qs searches keyword fields, splunk quotes', (t) => {
  const det = "    keywords:\n        - 'foo bar'\n        - 'baz'\n    condition: keywords";
  t.is(convert(det, 'es-qs').output, '\\*.keyword:(*foo\\ bar* OR *baz*)\n');
  t.is(convert(det, 'splunk').output, '("foo bar" OR "baz")\n');
});

test('the optimizer flattens an OR whose children are all ORs or tuples', (t) => {
  const det = "    a:\n        x: 1\n    b:\n        y|base64offset|contains: 'ab'\n    condition: a or b";
  t.is(convert(det, 'es-qs').output, '(x:"1" OR y.keyword:*YW* OR y.keyword:*Fi* OR y.keyword:*hY*)\n');
});

test('logpoint adds its default config: sysmon logsource condition and field mapping', (t) => {
  const det = "    selection:\n        Image|endswith: '\\x.exe'\n        EventID: 4624\n    condition: selection";
  t.is(convert(det, 'logpoint', 'category: process_creation\n    product: windows').output, '(event_id="1" Image="*\\\\x.exe" event_id="4624")\n');
  t.is(convert(det, 'logpoint', 'product: windows\n    service: security').output, '(event_source="Microsoft-Windows-Security-Auditing" Image="*\\\\x.exe" event_id="4624")\n');
});

test('splunk appends the fields table', (t) => {
  const r = convert("    selection:\n        a: 1\n    condition: selection", 'splunk', 'product: windows', 'fields:\n    - User\n    - Image\n');
  t.is(r.output, 'a="1" | table User,Image\n');
});
