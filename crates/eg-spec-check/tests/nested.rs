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
                  type: array
                  items: { $ref: "#/components/schemas/Tag" }
      responses: {}
components:
  schemas:
    Tag:
      type: object
      properties:
        key: { type: string, maxLength: 36 }
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
            "FAIL spec.yaml#/components/schemas/Tag/properties/key no generated type enforces key, docs line 43 says maxLength 36",
            "ok spec.yaml#/paths/~1v1~1items path is /v1/items, docs line 3 says /v1/items",
            "ok spec.yaml#/paths/~1v1~1items/post method is POST, docs line 3 says POST",
            &format!("ok {body}/required required is true for tags, docs line 19 says mandatory"),
            &format!(
                "ok {body}/properties/tags type is array of object, docs line 21 says Array of Tag objects"
            ),
            "ok spec.yaml#/components/schemas/Tag/required required is false for key, docs line 37 says optional",
            "ok spec.yaml#/components/schemas/Tag/properties/key type is string, docs line 39 says String",
            "ok spec.yaml#/components/schemas/Tag/properties/key maxLength is 36, docs line 43 says 36",
            "checked 8, passed 7, failed 1, accepted 0, not checkable 0",
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
            "FAIL spec.yaml#/paths/~1v1~1items/post/requestBody/content/application~1json/schema/properties/tags type is array of object, docs line 21 says Array of strings",
            "FAIL spec.yaml# rows of 表2 Tag (docs line 25) belong to no documented field, so they were not compared",
        ]
    );
}
