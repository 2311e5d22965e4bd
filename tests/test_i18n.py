"""The interface is Chinese by default, whatever the browser asks for."""

import pytest


@pytest.mark.django_db
@pytest.mark.parametrize("accept", ["en-US,en;q=0.9", "zh-CN", ""])
def test_login_page_is_chinese(client, accept):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE=accept)
    html = response.content.decode()
    assert response.status_code == 200
    assert "登录" in html and "用户名" in html
    assert "Log in" not in html


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
