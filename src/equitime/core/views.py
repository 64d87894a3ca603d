from django.shortcuts import redirect, render


def home(request):
    """The front door: what Equitime is, its three rules, and how to join."""
    if request.user.is_authenticated:
        return redirect("dashboard")
    return render(request, "core/home.html")
