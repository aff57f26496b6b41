"""Routing: distribution, endorsement (เกษียน), assignment and follow-up, circulars, route templates,
acting delegation, the working-day calendar and notifications."""
