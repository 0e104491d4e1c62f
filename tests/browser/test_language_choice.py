"""A person's language follows them: switched to English with the header's switch, it is
English again after logging in on another device whose browser reads Japanese."""

from accounts.languages import language_of


def log_in(page, assessment):
    page.goto(f"{assessment.live_server.url}/accounts/login/")
    page.fill("input[name=username]", assessment.user.username)
    page.fill("input[name=password]", assessment.password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_the_chosen_language_comes_back_on_another_device(new_context, assessment):
    phone = new_context(locale="ja-JP").new_page()
    log_in(phone, assessment)
    assert phone.locator("html").get_attribute("lang") == "ja"
    phone.get_by_role("button", name="English").click()
    phone.wait_for_load_state()
    assert phone.locator("html").get_attribute("lang") == "en"
    assessment.user.refresh_from_db()
    assert language_of(assessment.user) == "en"

    laptop = new_context(locale="ja-JP").new_page()  # no cookie, a Japanese browser
    laptop.goto(f"{assessment.live_server.url}/")
    assert laptop.locator("html").get_attribute("lang") == "ja"
    log_in(laptop, assessment)
    assert laptop.locator("html").get_attribute("lang") == "en"
