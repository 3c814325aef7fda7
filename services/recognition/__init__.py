"""Recognition (Anerkennung): counselling, the application, its legal deadlines, the decision and the licence."""
