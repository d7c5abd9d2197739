"""Coaches' and mentors' digests: who is due one, what it holds, on which days."""
