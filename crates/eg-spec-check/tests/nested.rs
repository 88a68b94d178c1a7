//! Rows of a nested table are compared with the schema their parent row
//! names, and a documented limit with no generated type fails.

use eg_spec_check::{Status, check};

const PAGE: &str = "URI\n\nPOST /v1/items\n\n请求参数\n\n表1 请求Body参数\n\n参数\n\n是否必选\n\n参数类型\n\n描述\n\n\
tags\n\n是\n\nArray of Tag objects\n\n标签\n\n表2 Tag\n\n参数\n\n是否必选\n\n参数类型\n\n描述\n\n\
key\n\n否\n\nString\n\n键\n\n最大长度:36\n";

const SPEC: &str = r##"openapi: 3.0.3
info: { title: t, version: "1" }
paths:
  /v1/items:
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              required: [tags]
              properties:
                tags:
                  description: 标签
                  type: array
                  items: { $ref: "#/components/schemas/Tag" }
      responses: {}
components:
  schemas:
    Tag:
      type: object
      properties:
        key: { type: string, maxLength: 36, description: 键 }
"##;

#[test]
fn nested_table() {
    let r = check(&[("page.txt", PAGE)], "spec.yaml", SPEC).expect("inputs parse");
    let body = "spec.yaml#/paths/~1v1~1items/post/requestBody/content/application~1json/schema";
    let text = r.text();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines,
        [
            "page page.txt [zh-cn] edition not stated",
            "operation POST /v1/items",
            "FAIL spec.yaml#/components/schemas/Tag/properties/key no generated type enforces key, page.txt:43 [zh-cn] says maxLength 36",
            "ok spec.yaml#/paths/~1v1~1items path is /v1/items, page.txt:3 [zh-cn] says /v1/items",
            "ok spec.yaml#/paths/~1v1~1items/post method is POST, page.txt:3 [zh-cn] says POST",
            &format!(
                "ok {body}/properties/tags property tags is present, page.txt:17 [zh-cn] documents it"
            ),
            &format!(
                "ok {body}/required required for tags is mandatory, page.txt:19 [zh-cn] says mandatory"
            ),
            &format!(
                "ok {body}/properties/tags description (zh-cn) is \"标签\", page.txt:23 [zh-cn] says \"标签\""
            ),
            &format!(
                "ok {body}/properties/tags type is array of object, page.txt:21 [zh-cn] says Array of Tag objects"
            ),
            "ok spec.yaml#/components/schemas/Tag/properties/key property key is present, page.txt:35 [zh-cn] documents it",
            "ok spec.yaml#/components/schemas/Tag/required required for key is optional, page.txt:37 [zh-cn] says optional",
            "ok spec.yaml#/components/schemas/Tag/properties/key description (zh-cn) is \"键\", page.txt:41 [zh-cn] says \"键\"",
            "ok spec.yaml#/components/schemas/Tag/properties/key type is string, page.txt:39 [zh-cn] says String",
            "ok spec.yaml#/components/schemas/Tag/properties/key maxLength is 36, page.txt:43 [zh-cn] says 36",
            "checked 12, passed 11, failed 1, conflicts 0, accepted 0, not checkable 0, not stated 0, page defects 0",
        ]
    );
    assert_eq!(r.findings[0].status, Status::Fail);
}

#[test]
fn orphan_table_is_reported() {
    let page = PAGE.replace("Array of Tag objects", "Array of strings");
    let r = check(&[("page.txt", &page)], "spec.yaml", SPEC).expect("inputs parse");
    let text = r.text();
    let fails: Vec<&str> = text.lines().filter(|l| l.starts_with("FAIL")).collect();
    assert_eq!(
        fails,
        [
            "FAIL spec.yaml#/paths/~1v1~1items/post/requestBody/content/application~1json/schema/properties/tags type is array of object, page.txt:21 [zh-cn] says Array of strings",
            "FAIL spec.yaml# rows of 表2 Tag (page.txt:25 [zh-cn]) belong to no documented field, so they were not compared",
        ]
    );
}
