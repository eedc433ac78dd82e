def todo_count(request):
    """The number of to-dos for the header link (followup/todo.py), computed only when a
    template asks for it (a callable: Django calls it when the variable is used)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def count() -> int:
        from .todo import todo_for

        if not hasattr(request, "_todo_count"):
            request._todo_count = len(todo_for(user))
        return request._todo_count

    return {"todo_count": count}
