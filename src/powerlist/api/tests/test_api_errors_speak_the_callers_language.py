"""A refused parameter or body field is explained in Chinese, naming the field as the lists do;
in English for a caller who chose English."""


def test_a_bad_parameter_is_explained_in_chinese(client, county):
    body = client.get("/api/items?per_page=1000").json()
    [problem] = body["problems"]
    assert problem["field"].endswith("per_page") and problem["expected"] == "不能大于 100"
    assert "Input should" not in body["detail"]


def test_a_bad_body_field_names_the_field_as_the_lists_do(client, items, users, token_for):
    item = items["430304-JY-XK-001"]
    response = client.patch(f"/api/items/{item.pk}", {"promised_limit_days": "很快"}, content_type="application/json",
                            **token_for(users["admin"]))
    assert response.status_code == 422
    problem = next(p for p in response.json()["problems"] if p["field"].endswith("promised_limit_days"))
    assert problem["label"] == "承诺时限（工作日）" and "整数" in problem["expected"]
    assert "承诺时限（工作日）" in response.json()["detail"]


def test_english_when_the_caller_chose_english(client, county):
    client.cookies["django_language"] = "en"
    problem = client.get("/api/items?per_page=1000").json()["problems"][0]
    assert "less than or equal" in problem["expected"]
