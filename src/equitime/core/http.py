def posted(request):
    """The form data of a POST (even an empty one), or None for a GET, so an
    empty POST is validated and answered with errors rather than shown blank."""
    return request.POST if request.method == "POST" else None
