"""Notifications: mails coordinators and partner organisations about participants' milestones, with an audit."""
