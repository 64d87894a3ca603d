def test_staff_read_reports_in_admin_but_cannot_change_them(admin_client):
    response = admin_client.get("/admin/community/listingflag/")

    assert response.status_code == 200
    assert admin_client.get("/admin/community/listingflag/add/").status_code == 403
