"""The participant's rights across the stages (issue 15): the access document, the lead's access requests and the
retention schedule's runs, as the operators' command line (`journey rights`) reaches them."""
