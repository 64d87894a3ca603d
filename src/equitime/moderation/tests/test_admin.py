def test_staff_read_reports_in_admin_but_cannot_change_them(admin_client):
    response = admin_client.get("/admin/moderation/listingflag/")

    assert response.status_code == 200
    assert admin_client.get("/admin/moderation/listingflag/add/").status_code == 403


def test_the_reports_old_admin_address_still_arrives(admin_client):
    """They were the community app's until it was split: old links keep working."""
    response = admin_client.get("/admin/community/listingflag/?status=open")

    assert response.status_code == 301
    assert response["Location"] == "/admin/moderation/listingflag/?status=open"
    assert admin_client.get(response["Location"]).status_code == 200


def test_nothing_is_posted_through_the_old_admin_address(admin_client):
    assert admin_client.post("/admin/community/listingflag/").status_code == 405
