// Punycode functions. Expected values: the examples of punycode-from-string-function.md,
// punycode-to-string-function.md, punycode-domain-to-string-function.md, punycode-domain-from-string-function.md,
// and the sample strings of RFC 3492 section 7.1.
import { describe, expect, it } from "vitest";
import { runQuery } from "../../../src/kql/engine.js";
import { punycodeDecode, punycodeEncode } from "../../../src/kql/builtins/punycode.js";
import { KqlError } from "../../../src/kql/api.js";

const rows = (q: string) => runQuery(q).rows;

describe("punycode_from_string / punycode_to_string", () => {
  it("documented examples", () => {
    expect(rows("print encoded = punycode_from_string('académie-française')")).toEqual([["acadmie-franaise-npb1a"]]);
    expect(rows("print decoded = punycode_to_string('acadmie-franaise-npb1a')")).toEqual([["académie-française"]]);
    expect(rows(`print domain='艺术.com'
      | extend domain_vec = split(domain, '.')
      | extend encoded_host = punycode_from_string(tostring(domain_vec[0]))
      | extend encoded_domain = strcat('xn--', encoded_host, '.', domain_vec[1])
      | project encoded_host, encoded_domain`)).toEqual([["cqv902d", "xn--cqv902d.com"]]);
  });
  it("RFC 3492 samples both ways (case of basic code points kept)", () => {
    const samples: [string, string][] = [
      ["\u0644\u064A\u0647\u0645\u0627\u0628\u062A\u0643\u0644\u0645\u0648\u0634\u0639\u0631\u0628\u064A\u061F", "egbpdaj6bu4bxfgehfvwxn"],
      ["\u4ED6\u4EEC\u4E3A\u4EC0\u4E48\u4E0D\u8BF4\u4E2D\u6587", "ihqwcrb4cv8a8dqg056pqjye"],
      ["3\u5E74B\u7D44\u91D1\u516B\u5148\u751F", "3B-ww4c5e180e575a65lsy2b"],
      ["\u5B89\u5BA4\u5948\u7F8E\u6075-with-SUPER-MONKEYS", "-with-SUPER-MONKEYS-pc58ag80a8qai00g7n9n"],
    ];
    for (const [text, code] of samples) {
      expect(punycodeEncode(text)).toBe(code);
      expect(punycodeDecode(code)).toBe(text);
    }
  });
  it("invalid punycode decodes to an empty string", () => {
    expect(rows("print punycode_to_string('zzé'), punycode_to_string('-'), punycode_to_string('ab-9999999999')")).toEqual([["", "", ""]]);
  });
});

describe("punycode_domain_to_string / punycode_domain_from_string", () => {
  it("documented examples: labels coded as written, IDNA separators become '.'", () => {
    expect(rows(`datatable(domain:string )['Lê Lợi。Thuận Thiên。com', 'Riðill｡Skáldskaparmál｡org', "Kaledvoulc'h.Artorījos.edu"]
      | extend str=punycode_domain_to_string(domain) | project str`)).toEqual([
      ["xn--L Li-gpa4517b.xn--Thun Thin-s4a7194f.com"],
      ["xn--Riill-jta.xn--Skldskaparml-dbbj.org"],
      ["Kaledvoulc'h.xn--Artorjos-ejb.edu"],
    ]);
    expect(rows(`datatable(encoded:string)["xn--Ge-mia.Bulg.edu", "xn--Lin-8na.Celtchair.org", "xn--Ry-lja8c.xn--Jng-uta63a.xn--Bng-9ka.com",]
      | extend domain=punycode_domain_from_string(encoded) | project domain`)).toEqual([
      ["Gáe.Bulg.edu"], ["Lúin.Celtchair.org"], ["Rúyì.Jīngū.Bàng.com"],
    ]);
  });
  it("a label that fails to decode empties the result; undocumented inputs are refused", () => {
    expect(rows("print punycode_domain_from_string('xn--ab-9999999999.com')")).toEqual([[""]]);
    expect(() => runQuery("print punycode_domain_from_string('é.xn--Ge-mia.com')")).toThrow(KqlError);
    expect(() => runQuery(`print punycode_domain_to_string(strcat(strrep('é', 70), '.com'))`)).toThrow(/longer than 63/);
  });
});
